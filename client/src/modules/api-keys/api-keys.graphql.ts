import { graphql } from "../../gql";

export const ApiKeyFieldsFragment = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    name
    prefix
    scopes
    status
    createdAt
    lastUsedAt
    expiresAt
    revokedAt
    createdBy {
      id
      name
    }
  }
`);

export const ApiKeysPageQuery = graphql(`
  query ApiKeysPage {
    apiKeys {
      id
      ...ApiKeyFields
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        ...ApiKeyFields
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      apiKey {
        id
        ...ApiKeyFields
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
