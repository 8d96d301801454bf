/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.AcknowledgeAlertDocument,
    "\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ResolveAlertDocument,
    "\n  mutation ResolveAlerts($ids: [ID!]!) {\n    resolveAlerts(ids: $ids) {\n      alerts {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ResolveAlertsDocument,
    "\n  query AlertGroup($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        id\n        status\n        ...AlertRow_alert\n      }\n    }\n  }\n": typeof types.AlertGroupDocument,
    "\n  fragment AlertRow_alert on Alert {\n    id\n    type\n    priority\n    status\n    title\n    message\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    resolvedBy\n    product {\n      sku\n    }\n    conflict {\n      id\n      sku\n      status\n    }\n    job {\n      id\n    }\n  }\n": typeof types.AlertRow_AlertFragmentDoc,
    "\n  query UrgentAlertCount {\n    alerts(first: 1, filter: { status: [OPEN], priority: [CRITICAL, HIGH] }) {\n      totalCount\n    }\n  }\n": typeof types.UrgentAlertCountDocument,
    "\n  subscription AlertsUpdated {\n    alertsUpdated {\n      id\n      status\n      priority\n    }\n  }\n": typeof types.AlertsUpdatedDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n    createdBy {\n      id\n      name\n    }\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeysPage {\n    apiKeys {\n      id\n      ...ApiKeyFields\n    }\n  }\n": typeof types.ApiKeysPageDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  fragment ConflictCard_conflict on SyncConflict {\n    id\n    sku\n    field\n    type\n    status\n    strategy\n    createdAt\n    updatedAt\n    readings {\n      platform\n      value\n      readAt\n    }\n    suggestion {\n      strategy\n      platform\n      value\n    }\n    resolvedValue\n    resolution\n    resolvedAt\n    resolvedBy\n    product {\n      title\n    }\n    job {\n      id\n    }\n  }\n": typeof types.ConflictCard_ConflictFragmentDoc,
    "\n  query ConflictsPage(\n    $filter: ConflictFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $open: ConflictFilter\n    $resolved: ConflictFilter\n    $ignored: ConflictFilter\n  ) {\n    conflicts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        sku\n        field\n        status\n        ...ConflictCard_conflict\n      }\n    }\n    openCount: conflicts(filter: $open, first: 1) {\n      totalCount\n    }\n    resolvedCount: conflicts(filter: $resolved, first: 1) {\n      totalCount\n    }\n    ignoredCount: conflicts(filter: $ignored, first: 1) {\n      totalCount\n    }\n  }\n": typeof types.ConflictsPageDocument,
    "\n  mutation ResolveConflict($id: ID!, $resolution: ConflictResolutionInput!) {\n    resolveConflict(id: $id, resolution: $resolution) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ResolveConflictDocument,
    "\n  mutation ResolveConflicts($ids: [ID!], $strategy: ConflictStrategy!) {\n    resolveConflicts(ids: $ids, strategy: $strategy) {\n      conflicts {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      hasMore\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ResolveConflictsDocument,
    "\n  mutation IgnoreConflict($id: ID!) {\n    ignoreConflict(id: $id) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.IgnoreConflictDocument,
    "\n  fragment InventoryPagination_connection on InventoryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n": typeof types.InventoryPagination_ConnectionFragmentDoc,
    "\n  fragment InventoryRow_item on InventoryItem {\n    id\n    sku\n    asin\n    title\n    brand\n    category\n    fulfillmentChannel\n    quantity\n    reservedQuantity\n    availableQuantity\n    inboundQuantity\n    price\n    currency\n    status\n    stockLevel\n    isBestseller\n    salesRank\n    listings {\n      id\n      connection {\n        id\n      }\n      ...ListingCell_listing\n    }\n    openConflicts {\n      id\n      type\n      field\n    }\n    openAlerts {\n      id\n      priority\n      title\n    }\n  }\n": typeof types.InventoryRow_ItemFragmentDoc,
    "\n  fragment PlatformColumn_connection on PlatformConnection {\n    id\n    name\n    kind\n    enabled\n    priority\n  }\n": typeof types.PlatformColumn_ConnectionFragmentDoc,
    "\n  fragment InventoryToolbar_facets on InventoryFacets {\n    categories {\n      value\n      count\n    }\n    brands {\n      value\n      count\n    }\n  }\n": typeof types.InventoryToolbar_FacetsFragmentDoc,
    "\n  fragment InventoryToolbar_connection on PlatformConnection {\n    id\n    kind\n  }\n": typeof types.InventoryToolbar_ConnectionFragmentDoc,
    "\n  fragment ListingCell_listing on Listing {\n    id\n    platform\n    quantity\n    price\n    currency\n    status\n    lastConfirmedAt\n    freshnessSeconds\n  }\n": typeof types.ListingCell_ListingFragmentDoc,
    "\n  query InventoryPage(\n    $filter: InventoryFilter\n    $orderBy: InventoryOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    inventory(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      nodes {\n        id\n        ...InventoryRow_item\n      }\n      ...InventoryPagination_connection\n    }\n    inventoryFacets {\n      ...InventoryToolbar_facets\n    }\n    platformConnections {\n      id\n      ...PlatformColumn_connection\n      ...InventoryToolbar_connection\n    }\n  }\n": typeof types.InventoryPageDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      accessToken\n      accessTokenExpiresAt\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation SignOut {\n    signOut {\n      ok\n    }\n  }\n": typeof types.SignOutDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ResetPasswordDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      scopes\n      user {\n        id\n        name\n        email\n      }\n      tenant {\n        id\n        slug\n        name\n      }\n      memberships {\n        id\n        role\n        tenant {\n          id\n          slug\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  fragment ConnectionCard_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n    priority\n    lastHealthStatus\n    lastHealthAt\n    lastHealthLatencyMs\n    lastHealthError\n    webhook {\n      url\n      secretCreatedAt\n      previousSecretValidUntil\n    }\n  }\n": typeof types.ConnectionCard_ConnectionFragmentDoc,
    "\n  fragment ConnectionCard_credentials on PlatformConnection {\n    hasCredentials\n    credentialsUpdatedAt\n    webhook {\n      secret\n    }\n  }\n": typeof types.ConnectionCard_CredentialsFragmentDoc,
    "\n  mutation UpdateConnection($input: UpdatePlatformConnectionInput!) {\n    updatePlatformConnection(input: $input) {\n      connection {\n        ...ConnectionCard_connection\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateConnectionDocument,
    "\n  mutation TestConnection($id: ID!) {\n    testPlatformConnection(id: $id) {\n      ok\n      message\n      latencyMs\n      circuit\n      connection {\n        id\n        lastHealthStatus\n        lastHealthAt\n        lastHealthLatencyMs\n        lastHealthError\n      }\n    }\n  }\n": typeof types.TestConnectionDocument,
    "\n  mutation RotateWebhookSecret($connectionId: ID!) {\n    rotateWebhookSecret(connectionId: $connectionId) {\n      webhook {\n        secret\n        secretCreatedAt\n        previousSecretValidUntil\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  query SettingsPage {\n    platformSyncSettings {\n      ...SyncSettingsForm_settings\n    }\n    platformConnections {\n      id\n      ...ConnectionCard_connection\n    }\n  }\n": typeof types.SettingsPageDocument,
    "\n  query ConnectionCredentials {\n    platformConnections {\n      id\n      ...ConnectionCard_credentials\n    }\n  }\n": typeof types.ConnectionCredentialsDocument,
    "\n  fragment SyncSettingsForm_settings on PlatformSyncSettings {\n    autoSync\n    syncIntervalMinutes\n    conflictStrategy\n    lowStockThreshold\n    outOfStockThreshold\n    maxPriceVariancePct\n    updatedAt\n  }\n": typeof types.SyncSettingsForm_SettingsFragmentDoc,
    "\n  mutation UpdateSyncSettings($input: UpdatePlatformSyncSettingsInput!) {\n    updatePlatformSyncSettings(input: $input) {\n      settings {\n        ...SyncSettingsForm_settings\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateSyncSettingsDocument,
    "\n  fragment PlatformProgress_job on SyncJob {\n    status\n    isTerminal\n    progress\n    totalItems\n    platforms\n    platformResults\n  }\n": typeof types.PlatformProgress_JobFragmentDoc,
    "\n  fragment SyncFailures_job on SyncJob {\n    failedItems\n    failures(first: 50) {\n      sku\n      platform\n      field\n      error\n      errorCode\n    }\n  }\n": typeof types.SyncFailures_JobFragmentDoc,
    "\n  fragment SyncJobListItem_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    platforms\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    failedItems\n    conflictCount\n    createdAt\n  }\n": typeof types.SyncJobListItem_JobFragmentDoc,
    "\n  query SyncJobPanel($id: ID!) {\n    syncJob(id: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n": typeof types.SyncJobPanelDocument,
    "\n  subscription SyncJobProgress($id: ID!) {\n    syncJobProgress(jobId: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n": typeof types.SyncJobProgressDocument,
    "\n  fragment SyncJobSummary_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    filters\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    updatedItems\n    failedItems\n    conflictCount\n    error\n    cancelRequestedAt\n    startedAt\n    finishedAt\n    createdAt\n    durationMs\n  }\n": typeof types.SyncJobSummary_JobFragmentDoc,
    "\n  fragment SyncStartForm_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n  }\n": typeof types.SyncStartForm_ConnectionFragmentDoc,
    "\n  query SyncPage($first: Int, $last: Int, $after: String, $before: String, $filter: SyncJobFilter) {\n    syncJobs(first: $first, last: $last, after: $after, before: $before, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n    }\n    platformConnections {\n      id\n      ...SyncStartForm_connection\n    }\n  }\n": typeof types.SyncPageDocument,
    "\n  subscription SyncJobsUpdated {\n    syncJobsUpdated {\n      id\n      createdAt\n      updatedAt\n      type\n      status\n      trigger\n      ...SyncJobListItem_job\n    }\n  }\n": typeof types.SyncJobsUpdatedDocument,
    "\n  mutation StartInventorySync($input: StartInventorySyncInput!) {\n    startInventorySync(input: $input) {\n      created\n      job {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.StartInventorySyncDocument,
    "\n  mutation CancelInventorySync($id: ID!) {\n    cancelInventorySync(id: $id) {\n      job {\n        id\n        updatedAt\n        ...SyncJobSummary_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.CancelInventorySyncDocument,
    "\n  query TeamPage {\n    teamMembers {\n      id\n      role\n      joinedAt\n      lastSignInAt\n      user {\n        id\n        name\n        email\n      }\n    }\n    invitations {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n    }\n  }\n": typeof types.TeamPageDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      signUpUrl\n      emailed\n      invitation {\n        id\n        email\n        role\n        createdAt\n        expiresAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      member {\n        id\n        role\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      removedMemberId\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      invitation {\n        id\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
};
const documents: Documents = {
    "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.AcknowledgeAlertDocument,
    "\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ResolveAlertDocument,
    "\n  mutation ResolveAlerts($ids: [ID!]!) {\n    resolveAlerts(ids: $ids) {\n      alerts {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ResolveAlertsDocument,
    "\n  query AlertGroup($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        id\n        status\n        ...AlertRow_alert\n      }\n    }\n  }\n": types.AlertGroupDocument,
    "\n  fragment AlertRow_alert on Alert {\n    id\n    type\n    priority\n    status\n    title\n    message\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    resolvedBy\n    product {\n      sku\n    }\n    conflict {\n      id\n      sku\n      status\n    }\n    job {\n      id\n    }\n  }\n": types.AlertRow_AlertFragmentDoc,
    "\n  query UrgentAlertCount {\n    alerts(first: 1, filter: { status: [OPEN], priority: [CRITICAL, HIGH] }) {\n      totalCount\n    }\n  }\n": types.UrgentAlertCountDocument,
    "\n  subscription AlertsUpdated {\n    alertsUpdated {\n      id\n      status\n      priority\n    }\n  }\n": types.AlertsUpdatedDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n    createdBy {\n      id\n      name\n    }\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeysPage {\n    apiKeys {\n      id\n      ...ApiKeyFields\n    }\n  }\n": types.ApiKeysPageDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  fragment ConflictCard_conflict on SyncConflict {\n    id\n    sku\n    field\n    type\n    status\n    strategy\n    createdAt\n    updatedAt\n    readings {\n      platform\n      value\n      readAt\n    }\n    suggestion {\n      strategy\n      platform\n      value\n    }\n    resolvedValue\n    resolution\n    resolvedAt\n    resolvedBy\n    product {\n      title\n    }\n    job {\n      id\n    }\n  }\n": types.ConflictCard_ConflictFragmentDoc,
    "\n  query ConflictsPage(\n    $filter: ConflictFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $open: ConflictFilter\n    $resolved: ConflictFilter\n    $ignored: ConflictFilter\n  ) {\n    conflicts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        sku\n        field\n        status\n        ...ConflictCard_conflict\n      }\n    }\n    openCount: conflicts(filter: $open, first: 1) {\n      totalCount\n    }\n    resolvedCount: conflicts(filter: $resolved, first: 1) {\n      totalCount\n    }\n    ignoredCount: conflicts(filter: $ignored, first: 1) {\n      totalCount\n    }\n  }\n": types.ConflictsPageDocument,
    "\n  mutation ResolveConflict($id: ID!, $resolution: ConflictResolutionInput!) {\n    resolveConflict(id: $id, resolution: $resolution) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ResolveConflictDocument,
    "\n  mutation ResolveConflicts($ids: [ID!], $strategy: ConflictStrategy!) {\n    resolveConflicts(ids: $ids, strategy: $strategy) {\n      conflicts {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      hasMore\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ResolveConflictsDocument,
    "\n  mutation IgnoreConflict($id: ID!) {\n    ignoreConflict(id: $id) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.IgnoreConflictDocument,
    "\n  fragment InventoryPagination_connection on InventoryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n": types.InventoryPagination_ConnectionFragmentDoc,
    "\n  fragment InventoryRow_item on InventoryItem {\n    id\n    sku\n    asin\n    title\n    brand\n    category\n    fulfillmentChannel\n    quantity\n    reservedQuantity\n    availableQuantity\n    inboundQuantity\n    price\n    currency\n    status\n    stockLevel\n    isBestseller\n    salesRank\n    listings {\n      id\n      connection {\n        id\n      }\n      ...ListingCell_listing\n    }\n    openConflicts {\n      id\n      type\n      field\n    }\n    openAlerts {\n      id\n      priority\n      title\n    }\n  }\n": types.InventoryRow_ItemFragmentDoc,
    "\n  fragment PlatformColumn_connection on PlatformConnection {\n    id\n    name\n    kind\n    enabled\n    priority\n  }\n": types.PlatformColumn_ConnectionFragmentDoc,
    "\n  fragment InventoryToolbar_facets on InventoryFacets {\n    categories {\n      value\n      count\n    }\n    brands {\n      value\n      count\n    }\n  }\n": types.InventoryToolbar_FacetsFragmentDoc,
    "\n  fragment InventoryToolbar_connection on PlatformConnection {\n    id\n    kind\n  }\n": types.InventoryToolbar_ConnectionFragmentDoc,
    "\n  fragment ListingCell_listing on Listing {\n    id\n    platform\n    quantity\n    price\n    currency\n    status\n    lastConfirmedAt\n    freshnessSeconds\n  }\n": types.ListingCell_ListingFragmentDoc,
    "\n  query InventoryPage(\n    $filter: InventoryFilter\n    $orderBy: InventoryOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    inventory(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      nodes {\n        id\n        ...InventoryRow_item\n      }\n      ...InventoryPagination_connection\n    }\n    inventoryFacets {\n      ...InventoryToolbar_facets\n    }\n    platformConnections {\n      id\n      ...PlatformColumn_connection\n      ...InventoryToolbar_connection\n    }\n  }\n": types.InventoryPageDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      accessToken\n      accessTokenExpiresAt\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation SignOut {\n    signOut {\n      ok\n    }\n  }\n": types.SignOutDocument,
    "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.RequestPasswordResetDocument,
    "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ResetPasswordDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      scopes\n      user {\n        id\n        name\n        email\n      }\n      tenant {\n        id\n        slug\n        name\n      }\n      memberships {\n        id\n        role\n        tenant {\n          id\n          slug\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  fragment ConnectionCard_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n    priority\n    lastHealthStatus\n    lastHealthAt\n    lastHealthLatencyMs\n    lastHealthError\n    webhook {\n      url\n      secretCreatedAt\n      previousSecretValidUntil\n    }\n  }\n": types.ConnectionCard_ConnectionFragmentDoc,
    "\n  fragment ConnectionCard_credentials on PlatformConnection {\n    hasCredentials\n    credentialsUpdatedAt\n    webhook {\n      secret\n    }\n  }\n": types.ConnectionCard_CredentialsFragmentDoc,
    "\n  mutation UpdateConnection($input: UpdatePlatformConnectionInput!) {\n    updatePlatformConnection(input: $input) {\n      connection {\n        ...ConnectionCard_connection\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateConnectionDocument,
    "\n  mutation TestConnection($id: ID!) {\n    testPlatformConnection(id: $id) {\n      ok\n      message\n      latencyMs\n      circuit\n      connection {\n        id\n        lastHealthStatus\n        lastHealthAt\n        lastHealthLatencyMs\n        lastHealthError\n      }\n    }\n  }\n": types.TestConnectionDocument,
    "\n  mutation RotateWebhookSecret($connectionId: ID!) {\n    rotateWebhookSecret(connectionId: $connectionId) {\n      webhook {\n        secret\n        secretCreatedAt\n        previousSecretValidUntil\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  query SettingsPage {\n    platformSyncSettings {\n      ...SyncSettingsForm_settings\n    }\n    platformConnections {\n      id\n      ...ConnectionCard_connection\n    }\n  }\n": types.SettingsPageDocument,
    "\n  query ConnectionCredentials {\n    platformConnections {\n      id\n      ...ConnectionCard_credentials\n    }\n  }\n": types.ConnectionCredentialsDocument,
    "\n  fragment SyncSettingsForm_settings on PlatformSyncSettings {\n    autoSync\n    syncIntervalMinutes\n    conflictStrategy\n    lowStockThreshold\n    outOfStockThreshold\n    maxPriceVariancePct\n    updatedAt\n  }\n": types.SyncSettingsForm_SettingsFragmentDoc,
    "\n  mutation UpdateSyncSettings($input: UpdatePlatformSyncSettingsInput!) {\n    updatePlatformSyncSettings(input: $input) {\n      settings {\n        ...SyncSettingsForm_settings\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateSyncSettingsDocument,
    "\n  fragment PlatformProgress_job on SyncJob {\n    status\n    isTerminal\n    progress\n    totalItems\n    platforms\n    platformResults\n  }\n": types.PlatformProgress_JobFragmentDoc,
    "\n  fragment SyncFailures_job on SyncJob {\n    failedItems\n    failures(first: 50) {\n      sku\n      platform\n      field\n      error\n      errorCode\n    }\n  }\n": types.SyncFailures_JobFragmentDoc,
    "\n  fragment SyncJobListItem_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    platforms\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    failedItems\n    conflictCount\n    createdAt\n  }\n": types.SyncJobListItem_JobFragmentDoc,
    "\n  query SyncJobPanel($id: ID!) {\n    syncJob(id: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n": types.SyncJobPanelDocument,
    "\n  subscription SyncJobProgress($id: ID!) {\n    syncJobProgress(jobId: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n": types.SyncJobProgressDocument,
    "\n  fragment SyncJobSummary_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    filters\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    updatedItems\n    failedItems\n    conflictCount\n    error\n    cancelRequestedAt\n    startedAt\n    finishedAt\n    createdAt\n    durationMs\n  }\n": types.SyncJobSummary_JobFragmentDoc,
    "\n  fragment SyncStartForm_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n  }\n": types.SyncStartForm_ConnectionFragmentDoc,
    "\n  query SyncPage($first: Int, $last: Int, $after: String, $before: String, $filter: SyncJobFilter) {\n    syncJobs(first: $first, last: $last, after: $after, before: $before, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n    }\n    platformConnections {\n      id\n      ...SyncStartForm_connection\n    }\n  }\n": types.SyncPageDocument,
    "\n  subscription SyncJobsUpdated {\n    syncJobsUpdated {\n      id\n      createdAt\n      updatedAt\n      type\n      status\n      trigger\n      ...SyncJobListItem_job\n    }\n  }\n": types.SyncJobsUpdatedDocument,
    "\n  mutation StartInventorySync($input: StartInventorySyncInput!) {\n    startInventorySync(input: $input) {\n      created\n      job {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.StartInventorySyncDocument,
    "\n  mutation CancelInventorySync($id: ID!) {\n    cancelInventorySync(id: $id) {\n      job {\n        id\n        updatedAt\n        ...SyncJobSummary_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.CancelInventorySyncDocument,
    "\n  query TeamPage {\n    teamMembers {\n      id\n      role\n      joinedAt\n      lastSignInAt\n      user {\n        id\n        name\n        email\n      }\n    }\n    invitations {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n    }\n  }\n": types.TeamPageDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      signUpUrl\n      emailed\n      invitation {\n        id\n        email\n        role\n        createdAt\n        expiresAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      member {\n        id\n        role\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateMemberRoleDocument,
    "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      removedMemberId\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      invitation {\n        id\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcknowledgeAlert($id: ID!) {\n    acknowledgeAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResolveAlert($id: ID!) {\n    resolveAlert(id: $id) {\n      alert {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveAlerts($ids: [ID!]!) {\n    resolveAlerts(ids: $ids) {\n      alerts {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResolveAlerts($ids: [ID!]!) {\n    resolveAlerts(ids: $ids) {\n      alerts {\n        id\n        ...AlertRow_alert\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertGroup($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        id\n        status\n        ...AlertRow_alert\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertGroup($filter: AlertFilter, $first: Int!) {\n    alerts(filter: $filter, first: $first) {\n      totalCount\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        id\n        status\n        ...AlertRow_alert\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRow_alert on Alert {\n    id\n    type\n    priority\n    status\n    title\n    message\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    resolvedBy\n    product {\n      sku\n    }\n    conflict {\n      id\n      sku\n      status\n    }\n    job {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment AlertRow_alert on Alert {\n    id\n    type\n    priority\n    status\n    title\n    message\n    createdAt\n    acknowledgedAt\n    resolvedAt\n    resolvedBy\n    product {\n      sku\n    }\n    conflict {\n      id\n      sku\n      status\n    }\n    job {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UrgentAlertCount {\n    alerts(first: 1, filter: { status: [OPEN], priority: [CRITICAL, HIGH] }) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query UrgentAlertCount {\n    alerts(first: 1, filter: { status: [OPEN], priority: [CRITICAL, HIGH] }) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AlertsUpdated {\n    alertsUpdated {\n      id\n      status\n      priority\n    }\n  }\n"): (typeof documents)["\n  subscription AlertsUpdated {\n    alertsUpdated {\n      id\n      status\n      priority\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n    createdBy {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    status\n    createdAt\n    lastUsedAt\n    expiresAt\n    revokedAt\n    createdBy {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeysPage {\n    apiKeys {\n      id\n      ...ApiKeyFields\n    }\n  }\n"): (typeof documents)["\n  query ApiKeysPage {\n    apiKeys {\n      id\n      ...ApiKeyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      apiKey {\n        id\n        ...ApiKeyFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConflictCard_conflict on SyncConflict {\n    id\n    sku\n    field\n    type\n    status\n    strategy\n    createdAt\n    updatedAt\n    readings {\n      platform\n      value\n      readAt\n    }\n    suggestion {\n      strategy\n      platform\n      value\n    }\n    resolvedValue\n    resolution\n    resolvedAt\n    resolvedBy\n    product {\n      title\n    }\n    job {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment ConflictCard_conflict on SyncConflict {\n    id\n    sku\n    field\n    type\n    status\n    strategy\n    createdAt\n    updatedAt\n    readings {\n      platform\n      value\n      readAt\n    }\n    suggestion {\n      strategy\n      platform\n      value\n    }\n    resolvedValue\n    resolution\n    resolvedAt\n    resolvedBy\n    product {\n      title\n    }\n    job {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConflictsPage(\n    $filter: ConflictFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $open: ConflictFilter\n    $resolved: ConflictFilter\n    $ignored: ConflictFilter\n  ) {\n    conflicts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        sku\n        field\n        status\n        ...ConflictCard_conflict\n      }\n    }\n    openCount: conflicts(filter: $open, first: 1) {\n      totalCount\n    }\n    resolvedCount: conflicts(filter: $resolved, first: 1) {\n      totalCount\n    }\n    ignoredCount: conflicts(filter: $ignored, first: 1) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query ConflictsPage(\n    $filter: ConflictFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $open: ConflictFilter\n    $resolved: ConflictFilter\n    $ignored: ConflictFilter\n  ) {\n    conflicts(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        sku\n        field\n        status\n        ...ConflictCard_conflict\n      }\n    }\n    openCount: conflicts(filter: $open, first: 1) {\n      totalCount\n    }\n    resolvedCount: conflicts(filter: $resolved, first: 1) {\n      totalCount\n    }\n    ignoredCount: conflicts(filter: $ignored, first: 1) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveConflict($id: ID!, $resolution: ConflictResolutionInput!) {\n    resolveConflict(id: $id, resolution: $resolution) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResolveConflict($id: ID!, $resolution: ConflictResolutionInput!) {\n    resolveConflict(id: $id, resolution: $resolution) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveConflicts($ids: [ID!], $strategy: ConflictStrategy!) {\n    resolveConflicts(ids: $ids, strategy: $strategy) {\n      conflicts {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      hasMore\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResolveConflicts($ids: [ID!], $strategy: ConflictStrategy!) {\n    resolveConflicts(ids: $ids, strategy: $strategy) {\n      conflicts {\n        id\n        ...ConflictCard_conflict\n      }\n      job {\n        id\n        status\n        trigger\n      }\n      hasMore\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IgnoreConflict($id: ID!) {\n    ignoreConflict(id: $id) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation IgnoreConflict($id: ID!) {\n    ignoreConflict(id: $id) {\n      conflict {\n        id\n        ...ConflictCard_conflict\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InventoryPagination_connection on InventoryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n"): (typeof documents)["\n  fragment InventoryPagination_connection on InventoryConnection {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InventoryRow_item on InventoryItem {\n    id\n    sku\n    asin\n    title\n    brand\n    category\n    fulfillmentChannel\n    quantity\n    reservedQuantity\n    availableQuantity\n    inboundQuantity\n    price\n    currency\n    status\n    stockLevel\n    isBestseller\n    salesRank\n    listings {\n      id\n      connection {\n        id\n      }\n      ...ListingCell_listing\n    }\n    openConflicts {\n      id\n      type\n      field\n    }\n    openAlerts {\n      id\n      priority\n      title\n    }\n  }\n"): (typeof documents)["\n  fragment InventoryRow_item on InventoryItem {\n    id\n    sku\n    asin\n    title\n    brand\n    category\n    fulfillmentChannel\n    quantity\n    reservedQuantity\n    availableQuantity\n    inboundQuantity\n    price\n    currency\n    status\n    stockLevel\n    isBestseller\n    salesRank\n    listings {\n      id\n      connection {\n        id\n      }\n      ...ListingCell_listing\n    }\n    openConflicts {\n      id\n      type\n      field\n    }\n    openAlerts {\n      id\n      priority\n      title\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlatformColumn_connection on PlatformConnection {\n    id\n    name\n    kind\n    enabled\n    priority\n  }\n"): (typeof documents)["\n  fragment PlatformColumn_connection on PlatformConnection {\n    id\n    name\n    kind\n    enabled\n    priority\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InventoryToolbar_facets on InventoryFacets {\n    categories {\n      value\n      count\n    }\n    brands {\n      value\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment InventoryToolbar_facets on InventoryFacets {\n    categories {\n      value\n      count\n    }\n    brands {\n      value\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InventoryToolbar_connection on PlatformConnection {\n    id\n    kind\n  }\n"): (typeof documents)["\n  fragment InventoryToolbar_connection on PlatformConnection {\n    id\n    kind\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ListingCell_listing on Listing {\n    id\n    platform\n    quantity\n    price\n    currency\n    status\n    lastConfirmedAt\n    freshnessSeconds\n  }\n"): (typeof documents)["\n  fragment ListingCell_listing on Listing {\n    id\n    platform\n    quantity\n    price\n    currency\n    status\n    lastConfirmedAt\n    freshnessSeconds\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InventoryPage(\n    $filter: InventoryFilter\n    $orderBy: InventoryOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    inventory(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      nodes {\n        id\n        ...InventoryRow_item\n      }\n      ...InventoryPagination_connection\n    }\n    inventoryFacets {\n      ...InventoryToolbar_facets\n    }\n    platformConnections {\n      id\n      ...PlatformColumn_connection\n      ...InventoryToolbar_connection\n    }\n  }\n"): (typeof documents)["\n  query InventoryPage(\n    $filter: InventoryFilter\n    $orderBy: InventoryOrder\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n  ) {\n    inventory(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      nodes {\n        id\n        ...InventoryRow_item\n      }\n      ...InventoryPagination_connection\n    }\n    inventoryFacets {\n      ...InventoryToolbar_facets\n    }\n    platformConnections {\n      id\n      ...PlatformColumn_connection\n      ...InventoryToolbar_connection\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession {\n    refreshSession {\n      accessToken\n      accessTokenExpiresAt\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession {\n    refreshSession {\n      accessToken\n      accessTokenExpiresAt\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut {\n      ok\n    }\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut {\n      ok\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RequestPasswordReset($email: String!) {\n    requestPasswordReset(email: $email) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResetPassword($input: ResetPasswordInput!) {\n    resetPassword(input: $input) {\n      ok\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      scopes\n      user {\n        id\n        name\n        email\n      }\n      tenant {\n        id\n        slug\n        name\n      }\n      memberships {\n        id\n        role\n        tenant {\n          id\n          slug\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      role\n      scopes\n      user {\n        id\n        name\n        email\n      }\n      tenant {\n        id\n        slug\n        name\n      }\n      memberships {\n        id\n        role\n        tenant {\n          id\n          slug\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectionCard_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n    priority\n    lastHealthStatus\n    lastHealthAt\n    lastHealthLatencyMs\n    lastHealthError\n    webhook {\n      url\n      secretCreatedAt\n      previousSecretValidUntil\n    }\n  }\n"): (typeof documents)["\n  fragment ConnectionCard_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n    priority\n    lastHealthStatus\n    lastHealthAt\n    lastHealthLatencyMs\n    lastHealthError\n    webhook {\n      url\n      secretCreatedAt\n      previousSecretValidUntil\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectionCard_credentials on PlatformConnection {\n    hasCredentials\n    credentialsUpdatedAt\n    webhook {\n      secret\n    }\n  }\n"): (typeof documents)["\n  fragment ConnectionCard_credentials on PlatformConnection {\n    hasCredentials\n    credentialsUpdatedAt\n    webhook {\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateConnection($input: UpdatePlatformConnectionInput!) {\n    updatePlatformConnection(input: $input) {\n      connection {\n        ...ConnectionCard_connection\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateConnection($input: UpdatePlatformConnectionInput!) {\n    updatePlatformConnection(input: $input) {\n      connection {\n        ...ConnectionCard_connection\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestConnection($id: ID!) {\n    testPlatformConnection(id: $id) {\n      ok\n      message\n      latencyMs\n      circuit\n      connection {\n        id\n        lastHealthStatus\n        lastHealthAt\n        lastHealthLatencyMs\n        lastHealthError\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TestConnection($id: ID!) {\n    testPlatformConnection(id: $id) {\n      ok\n      message\n      latencyMs\n      circuit\n      connection {\n        id\n        lastHealthStatus\n        lastHealthAt\n        lastHealthLatencyMs\n        lastHealthError\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($connectionId: ID!) {\n    rotateWebhookSecret(connectionId: $connectionId) {\n      webhook {\n        secret\n        secretCreatedAt\n        previousSecretValidUntil\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateWebhookSecret($connectionId: ID!) {\n    rotateWebhookSecret(connectionId: $connectionId) {\n      webhook {\n        secret\n        secretCreatedAt\n        previousSecretValidUntil\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SettingsPage {\n    platformSyncSettings {\n      ...SyncSettingsForm_settings\n    }\n    platformConnections {\n      id\n      ...ConnectionCard_connection\n    }\n  }\n"): (typeof documents)["\n  query SettingsPage {\n    platformSyncSettings {\n      ...SyncSettingsForm_settings\n    }\n    platformConnections {\n      id\n      ...ConnectionCard_connection\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectionCredentials {\n    platformConnections {\n      id\n      ...ConnectionCard_credentials\n    }\n  }\n"): (typeof documents)["\n  query ConnectionCredentials {\n    platformConnections {\n      id\n      ...ConnectionCard_credentials\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncSettingsForm_settings on PlatformSyncSettings {\n    autoSync\n    syncIntervalMinutes\n    conflictStrategy\n    lowStockThreshold\n    outOfStockThreshold\n    maxPriceVariancePct\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment SyncSettingsForm_settings on PlatformSyncSettings {\n    autoSync\n    syncIntervalMinutes\n    conflictStrategy\n    lowStockThreshold\n    outOfStockThreshold\n    maxPriceVariancePct\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSyncSettings($input: UpdatePlatformSyncSettingsInput!) {\n    updatePlatformSyncSettings(input: $input) {\n      settings {\n        ...SyncSettingsForm_settings\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSyncSettings($input: UpdatePlatformSyncSettingsInput!) {\n    updatePlatformSyncSettings(input: $input) {\n      settings {\n        ...SyncSettingsForm_settings\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlatformProgress_job on SyncJob {\n    status\n    isTerminal\n    progress\n    totalItems\n    platforms\n    platformResults\n  }\n"): (typeof documents)["\n  fragment PlatformProgress_job on SyncJob {\n    status\n    isTerminal\n    progress\n    totalItems\n    platforms\n    platformResults\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncFailures_job on SyncJob {\n    failedItems\n    failures(first: 50) {\n      sku\n      platform\n      field\n      error\n      errorCode\n    }\n  }\n"): (typeof documents)["\n  fragment SyncFailures_job on SyncJob {\n    failedItems\n    failures(first: 50) {\n      sku\n      platform\n      field\n      error\n      errorCode\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncJobListItem_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    platforms\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    failedItems\n    conflictCount\n    createdAt\n  }\n"): (typeof documents)["\n  fragment SyncJobListItem_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    platforms\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    failedItems\n    conflictCount\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncJobPanel($id: ID!) {\n    syncJob(id: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n"): (typeof documents)["\n  query SyncJobPanel($id: ID!) {\n    syncJob(id: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SyncJobProgress($id: ID!) {\n    syncJobProgress(jobId: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n"): (typeof documents)["\n  subscription SyncJobProgress($id: ID!) {\n    syncJobProgress(jobId: $id) {\n      id\n      updatedAt\n      ...SyncJobSummary_job\n      ...PlatformProgress_job\n      ...SyncFailures_job\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncJobSummary_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    filters\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    updatedItems\n    failedItems\n    conflictCount\n    error\n    cancelRequestedAt\n    startedAt\n    finishedAt\n    createdAt\n    durationMs\n  }\n"): (typeof documents)["\n  fragment SyncJobSummary_job on SyncJob {\n    id\n    type\n    status\n    trigger\n    dryRun\n    filters\n    progress\n    isTerminal\n    totalItems\n    processedItems\n    updatedItems\n    failedItems\n    conflictCount\n    error\n    cancelRequestedAt\n    startedAt\n    finishedAt\n    createdAt\n    durationMs\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncStartForm_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n  }\n"): (typeof documents)["\n  fragment SyncStartForm_connection on PlatformConnection {\n    id\n    kind\n    name\n    enabled\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SyncPage($first: Int, $last: Int, $after: String, $before: String, $filter: SyncJobFilter) {\n    syncJobs(first: $first, last: $last, after: $after, before: $before, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n    }\n    platformConnections {\n      id\n      ...SyncStartForm_connection\n    }\n  }\n"): (typeof documents)["\n  query SyncPage($first: Int, $last: Int, $after: String, $before: String, $filter: SyncJobFilter) {\n    syncJobs(first: $first, last: $last, after: $after, before: $before, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      nodes {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n    }\n    platformConnections {\n      id\n      ...SyncStartForm_connection\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SyncJobsUpdated {\n    syncJobsUpdated {\n      id\n      createdAt\n      updatedAt\n      type\n      status\n      trigger\n      ...SyncJobListItem_job\n    }\n  }\n"): (typeof documents)["\n  subscription SyncJobsUpdated {\n    syncJobsUpdated {\n      id\n      createdAt\n      updatedAt\n      type\n      status\n      trigger\n      ...SyncJobListItem_job\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartInventorySync($input: StartInventorySyncInput!) {\n    startInventorySync(input: $input) {\n      created\n      job {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartInventorySync($input: StartInventorySyncInput!) {\n    startInventorySync(input: $input) {\n      created\n      job {\n        id\n        createdAt\n        updatedAt\n        type\n        status\n        trigger\n        ...SyncJobListItem_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelInventorySync($id: ID!) {\n    cancelInventorySync(id: $id) {\n      job {\n        id\n        updatedAt\n        ...SyncJobSummary_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelInventorySync($id: ID!) {\n    cancelInventorySync(id: $id) {\n      job {\n        id\n        updatedAt\n        ...SyncJobSummary_job\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamPage {\n    teamMembers {\n      id\n      role\n      joinedAt\n      lastSignInAt\n      user {\n        id\n        name\n        email\n      }\n    }\n    invitations {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query TeamPage {\n    teamMembers {\n      id\n      role\n      joinedAt\n      lastSignInAt\n      user {\n        id\n        name\n        email\n      }\n    }\n    invitations {\n      id\n      email\n      role\n      createdAt\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      signUpUrl\n      emailed\n      invitation {\n        id\n        email\n        role\n        createdAt\n        expiresAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      signUpUrl\n      emailed\n      invitation {\n        id\n        email\n        role\n        createdAt\n        expiresAt\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      member {\n        id\n        role\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      member {\n        id\n        role\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      removedMemberId\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveMember($id: ID!) {\n    removeMember(id: $id) {\n      removedMemberId\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      invitation {\n        id\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) {\n      invitation {\n        id\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      accessToken\n      accessTokenExpiresAt\n      retryAfterSeconds\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;