import { graphql } from "../../gql";

export const TeamPageQuery = graphql(`
  query TeamPage {
    teamMembers {
      id
      role
      joinedAt
      lastSignInAt
      user {
        id
        name
        email
      }
    }
    invitations {
      id
      email
      role
      createdAt
      expiresAt
    }
  }
`);

export const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      signUpUrl
      emailed
      invitation {
        id
        email
        role
        createdAt
        expiresAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const UpdateMemberRoleMutation = graphql(`
  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {
    updateMemberRole(input: $input) {
      member {
        id
        role
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($id: ID!) {
    removeMember(id: $id) {
      removedMemberId
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RevokeInvitationMutation = graphql(`
  mutation RevokeInvitation($id: ID!) {
    revokeInvitation(id: $id) {
      invitation {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      accessToken
      accessTokenExpiresAt
      retryAfterSeconds
      userErrors {
        field
        code
        message
      }
    }
  }
`);
