import { useState } from "react";
import { useMutation, useQuery } from "urql";
import type { UserRole } from "../../gql/graphql";
import { ErrorMessage } from "../../ui/error-message";
import { Spinner } from "../../ui/spinner";
import { useToast } from "../../ui/toast";
import { requestErrors, type UserError } from "../../ui/user-errors";
import { useCan, useViewer } from "../session";
import { InvitationLink } from "./components/invitation-link";
import { InvitationList } from "./components/invitation-list";
import { InviteForm } from "./components/invite-form";
import { type MemberActions, MemberList } from "./components/member-list";
import {
  InviteMemberMutation,
  RemoveMemberMutation,
  RevokeInvitationMutation,
  TeamPageQuery,
  UpdateMemberRoleMutation,
} from "./team.graphql";
import "./team.css";
import { TotalCount } from "../../ui/total-count";

/** Who is on the seller's team and with which role; owners and admins invite, change roles and remove. */
export function TeamPage() {
  const viewer = useViewer();
  const canWrite = useCan("write_team");
  const [team, reexecute] = useQuery({ query: TeamPageQuery });
  const reload = () => reexecute({ requestPolicy: "network-only" });

  const [invite, inviteMember] = useMutation(InviteMemberMutation);
  const [, updateRole] = useMutation(UpdateMemberRoleMutation);
  const [, removeMember] = useMutation(RemoveMemberMutation);
  const [, revokeInvitation] = useMutation(RevokeInvitationMutation);
  const toast = useToast();
  const [inviteErrors, setInviteErrors] = useState<readonly UserError[]>([]);
  const [link, setLink] = useState<{ email: string; url: string; emailed: boolean } | null>(null);

  const onInvite = async (values: { email: string; role: UserRole }) => {
    setLink(null);
    const result = await inviteMember({ input: values });
    const payload = result.data?.inviteMember;
    setInviteErrors(result.error ? requestErrors(result.error) : (payload?.userErrors ?? []));
    toast.outcome(`Invitation made for ${values.email}`, result, payload?.userErrors);
    if (!payload?.signUpUrl) return false;
    setLink({
      email: payload.invitation?.email ?? values.email,
      url: payload.signUpUrl,
      emailed: payload.emailed,
    });
    reload();
    return true;
  };

  /** Runs a row's mutation; on success the lists are loaded again (a removal or a role moves other rows). */
  const act = async (
    done: string,
    run: () => Promise<{ error?: Parameters<typeof requestErrors>[0]; errors?: readonly UserError[] }>,
  ) => {
    const { error, errors = [] } = await run();
    toast.outcome(done, { error }, errors);
    if (error) return requestErrors(error);
    if (!errors.length) reload();
    return errors;
  };
  const actions: MemberActions = {
    changeRole: (memberId, role) =>
      act("Role changed", async () => {
        const r = await updateRole({ input: { memberId, role } });
        return { error: r.error, errors: r.data?.updateMemberRole.userErrors };
      }),
    remove: (id) =>
      act("Member removed", async () => {
        const r = await removeMember({ id });
        return { error: r.error, errors: r.data?.removeMember.userErrors };
      }),
  };
  const onRevoke = (id: string) =>
    act("Invitation revoked", async () => {
      const r = await revokeInvitation({ id });
      return { error: r.error, errors: r.data?.revokeInvitation.userErrors };
    });

  const members = team.data?.teamMembers ?? [];
  const invitations = team.data?.invitations ?? [];

  return (
    <section className="page" aria-labelledby="team-heading">
      <header className="page-header">
        <div>
          <h1 id="team-heading">Team</h1>
          <p className="page-subtitle">
            Who works in {viewer.tenant?.name ?? "this account"}, and what each role may do.
          </p>
        </div>
        <div className="page-header-status">
          {team.fetching ? <Spinner label="Loading the team" /> : null}
          {team.data ? (
            <TotalCount count={members.length} one="member" many="members" testId="team-total" />
          ) : null}
        </div>
      </header>

      <div className={canWrite ? "identity-layout" : "identity-layout no-form"}>
        {canWrite ? (
          <div className="identity-side">
            <InviteForm busy={invite.fetching} errors={inviteErrors} onInvite={onInvite} />
          </div>
        ) : null}
        <div className="identity-main">
          {team.error ? <ErrorMessage error={team.error} onRetry={reload} /> : null}
          {link ? <InvitationLink {...link} onDismiss={() => setLink(null)} /> : null}
          {!canWrite ? (
            <p className="muted" data-testid="read-only">
              Your role can see the team but not change it. Owners and admins invite and manage members.
            </p>
          ) : null}
          <section className="panel" aria-labelledby="members-heading">
            <h2 id="members-heading">Members</h2>
            {team.data ? (
              <MemberList
                members={members}
                selfId={viewer.user?.id ?? null}
                actions={canWrite ? actions : undefined}
              />
            ) : null}
          </section>
          <section className="panel" aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">Pending invitations</h2>
            {invitations.length ? (
              <InvitationList invitations={invitations} onRevoke={canWrite ? onRevoke : undefined} />
            ) : team.data ? (
              <p className="muted">No invitation is waiting to be accepted.</p>
            ) : null}
          </section>
        </div>
      </div>
    </section>
  );
}
