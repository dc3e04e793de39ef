import type { Instant } from '@bijstand/domain';
import type { AppendRequest, EventStore, RecordedEvent } from '@bijstand/event-store';
import { memberStream } from '@bijstand/platform';
import { foldMemberships, MEMBER_OF_HOUSEHOLD, type Membership, type MembershipRecord } from './identity.js';

/** A BSN's memberships as read, with the revision of its index stream (-1: none yet). */
export interface MemberIndex {
  memberships: Membership[];
  revision: number;
}

/**
 * The identity index as stored (one member stream per BSN pseudonym; the rules on it are in
 * identity.ts), with each BSN's memberships cached between messages. Whoever writes a member stream
 * forgets that BSN here once it is stored.
 */
export class IdentityIndex {
  private readonly membershipsOfBsn = new Map<string, Membership[]>();

  constructor(private readonly store: EventStore) {}

  async membershipsOf(bsn: string, options: { fresh?: boolean } = {}): Promise<Membership[]> {
    const cached = options.fresh ? undefined : this.membershipsOfBsn.get(bsn);
    return cached ?? (await this.indexOf(bsn)).memberships;
  }

  /** The BSN's memberships as stored now, with the revision of its index stream (-1: none yet). */
  async indexOf(bsn: string): Promise<MemberIndex> {
    const recorded = await this.store.readStream(memberStream(bsn));
    return { memberships: this.remember(bsn, recorded), revision: recorded.at(-1)?.streamRevision ?? -1 };
  }

  /** indexOf of each BSN, read in one readStreams. */
  async indexesOf(bsns: readonly string[]): Promise<MemberIndex[]> {
    const read = await this.store.readStreams(bsns.map((bsn) => ({ streamName: memberStream(bsn) })));
    return bsns.map((bsn, k) => ({
      memberships: this.remember(bsn, read[k]!),
      revision: read[k]!.at(-1)?.streamRevision ?? -1,
    }));
  }

  /** Of these BSNs, those whose memberships are not cached: a segment reads their streams in one go (remember). */
  uncached(bsns: Iterable<string>): string[] {
    return [...new Set(bsns)].filter((bsn) => !this.membershipsOfBsn.has(bsn));
  }

  /** Caches the memberships of the BSN's member stream as read (all of it). */
  remember(bsn: string, recorded: readonly RecordedEvent[]): Membership[] {
    const memberships = foldMemberships(recorded.map((e) => ({ type: e.type, data: e.data }) as MembershipRecord));
    this.membershipsOfBsn.set(bsn, memberships);
    return memberships;
  }

  forget(bsn: string): void {
    this.membershipsOfBsn.delete(bsn);
  }
}

/** A record of the identity index; the caller forgets the BSN's cached memberships once it is stored. */
export function membershipRequest(
  bsn: string,
  record: MembershipRecord,
  eventId: string,
  recordedAt: Instant,
): AppendRequest {
  return {
    streamName: memberStream(bsn),
    events: [
      {
        eventId,
        type: record.type,
        schemaVersion: record.type === MEMBER_OF_HOUSEHOLD ? 2 : 1,
        recordedAt,
        data: record.data,
      },
    ],
  };
}
