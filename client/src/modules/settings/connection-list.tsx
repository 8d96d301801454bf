import { useEffect, useRef, useState } from "react";
import { useMutation } from "urql";
import { type FragmentType, graphql, useFragment } from "../../gql";
import { useToast } from "../../ui/toast";
import { useCan } from "../session";
import { ConnectionCard, type ConnectionCardCredentialsFragment } from "./connection-card";

export const ConnectionListFragment = graphql(`
  fragment ConnectionList_connection on PlatformConnection {
    id
    name
    priority
    ...ConnectionCard_connection
  }
`);

const ReorderConnectionsMutation = graphql(`
  mutation ReorderConnections($ids: [ID!]!) {
    reorderPlatformConnections(ids: $ids) {
      connections {
        id
        priority
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);

type Direction = "up" | "down";

/**
 * The tenant's connections in priority order, first wins under "best priority"; those who may change settings move
 * one up or down, which saves the whole new order at once.
 */
export function ConnectionList(props: {
  connections: FragmentType<typeof ConnectionListFragment>[];
  credentialsOf(id: string): FragmentType<typeof ConnectionCardCredentialsFragment> | undefined;
  onChanged(): void;
}) {
  const connections = useFragment(ConnectionListFragment, props.connections);
  const canChange = useCan("write_settings");
  const [, reorder] = useMutation(ReorderConnectionsMutation);
  const [moving, setMoving] = useState(false);
  const toast = useToast();
  const list = useRef<HTMLDivElement>(null);
  // The moved card's button keeps the keyboard's focus once the saved order comes back.
  const [focusAfter, setFocusAfter] = useState<{ id: string; direction: Direction } | null>(null);
  const order = connections.map((c) => c.id).join(",");

  useEffect(() => {
    if (!focusAfter || moving || !order) return;
    const card = list.current?.querySelector(`[data-connection-id="${CSS.escape(focusAfter.id)}"]`);
    const buttons = [...(card?.querySelectorAll<HTMLButtonElement>("button[data-move]") ?? [])];
    const same = buttons.find((b) => b.dataset.move === focusAfter.direction && !b.disabled);
    (same ?? buttons.find((b) => !b.disabled))?.focus();
  }, [focusAfter, moving, order]);

  const move = async (from: number, direction: Direction) => {
    const to = direction === "up" ? from - 1 : from + 1;
    const moved = connections[from];
    if (!moved) return;
    setMoving(true);
    setFocusAfter({ id: moved.id, direction });
    try {
      const ids = connections.map((c) => c.id);
      ids.splice(from, 1);
      ids.splice(to, 0, moved.id);
      const res = await reorder({ ids });
      toast.outcome(
        `${moved.name} moved ${direction}: ${to + 1} of ${connections.length}`,
        res,
        res.data?.reorderPlatformConnections.userErrors,
      );
    } finally {
      setMoving(false);
      props.onChanged();
    }
  };

  return (
    <div className="connections-list" ref={list}>
      {connections.map((c, i) => {
        return (
          <ConnectionCard
            key={c.id}
            connection={c}
            credentials={props.credentialsOf(c.id)}
            onChanged={props.onChanged}
            order={
              canChange
                ? {
                    position: i + 1,
                    count: connections.length,
                    busy: moving,
                    onMove: (direction) => void move(i, direction),
                  }
                : undefined
            }
          />
        );
      })}
    </div>
  );
}
