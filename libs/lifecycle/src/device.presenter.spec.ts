import type { OrganizationKind } from '@renum/domain';
import { eventConcerns, EventViewer, presentPayload } from './device.presenter';
import { presentEvent } from './event-log';

const ORG = {
  workshop: '00000000-0000-4000-8000-00000000000a',
  otherWorkshop: '00000000-0000-4000-8000-00000000000b',
  coordinator: '00000000-0000-4000-8000-00000000000c',
  donor: '00000000-0000-4000-8000-00000000000d',
  charity: '00000000-0000-4000-8000-0000000000c1',
  otherCharity: '00000000-0000-4000-8000-0000000000c2',
  recycler: '00000000-0000-4000-8000-00000000000e',
} as const;
type Reader = keyof typeof ORG;
const KIND: Record<Reader, OrganizationKind> = {
  workshop: 'WORKSHOP',
  otherWorkshop: 'WORKSHOP',
  coordinator: 'COORDINATOR',
  donor: 'DONOR',
  charity: 'CHARITY',
  otherCharity: 'CHARITY',
  recycler: 'RECYCLER',
};
const viewer = (r: Reader): EventViewer => ({ organizationKind: KIND[r], organizationId: ORG[r] });
const READERS = Object.keys(ORG) as Reader[];

/** The events whose free text may speak of a beneficiary, as stored, and who acted. */
const REASON = 'Rendu par la famille du bénéficiaire, écran fissuré';
const EVENTS = {
  // The charity let its reservation go.
  release: { organizationId: ORG.charity, payload: { reason: REASON, reservationId: 'r1' } },
  // A coordinator released another charity's reservation: the event names that charity.
  'release by coordinator': { organizationId: ORG.coordinator, payload: { reason: REASON, reservationId: 'r1', charityOrganizationId: ORG.charity } },
  // The workshop took a handed-over device back (custody: charity → workshop).
  return: { organizationId: ORG.workshop, payload: { reason: REASON, custodianOrganizationId: ORG.workshop } },
  // A coordinator returned it: custody goes to the workshop that last held it, which the event names.
  'return by coordinator': { organizationId: ORG.coordinator, payload: { reason: REASON, custodianOrganizationId: ORG.workshop } },
} as const;

/** Who reads the reason: the organisations the event concerns, and the coordinator. Everyone else: omitted. */
const SEES_REASON: Record<keyof typeof EVENTS, Reader[]> = {
  release: ['charity', 'coordinator'],
  'release by coordinator': ['charity', 'coordinator'],
  // The charity the device came back from is told by the history (`returnedFrom`), not by the event.
  return: ['workshop', 'coordinator', 'charity'],
  'return by coordinator': ['workshop', 'coordinator', 'charity'],
};

describe('presentPayload: a free-text reason is for those the event concerns', () => {
  const cases = (Object.keys(EVENTS) as (keyof typeof EVENTS)[]).flatMap((name) => READERS.map((reader) => [name, reader, SEES_REASON[name].includes(reader)] as const));

  it.each(cases)('%s read by %s: reason shown %s', (name, reader, shown) => {
    const { organizationId, payload } = EVENTS[name];
    const action = name.split(' ')[0];
    // What the history knows of a return: the charity it came back from.
    const concernedToo = action === 'return' ? [ORG.charity] : [];
    const seen = presentPayload(action, organizationId, payload, viewer(reader), concernedToo);
    if (shown) expect(seen.reason).toBe(REASON);
    else expect(seen).not.toHaveProperty('reason');
    // Omitted, never faked: what is shown is what was stored.
    for (const [field, value] of Object.entries(seen)) expect(value).toEqual((payload as Record<string, unknown>)[field]);
  });

  it('hides a return reason from the charity it came back from when the history does not tell it', () => {
    const { organizationId, payload } = EVENTS.return;
    expect(presentPayload('return', organizationId, payload, viewer('charity'))).toEqual({ custodianOrganizationId: ORG.workshop });
  });

  it('keeps the rest of a return for every reader: the custody it moved', () => {
    const { organizationId, payload } = EVENTS.return;
    for (const reader of READERS) expect(presentPayload('return', organizationId, payload, viewer(reader))).toMatchObject({ custodianOrganizationId: ORG.workshop });
  });

  it('counts the organisations a neighbouring event names as concerned', () => {
    expect(eventConcerns(ORG.workshop, {}, viewer('charity'))).toBe(false);
    expect(eventConcerns(ORG.workshop, {}, viewer('charity'), [ORG.charity])).toBe(true);
    expect(eventConcerns(ORG.workshop, {}, viewer('otherCharity'), [ORG.charity])).toBe(false);
  });
});

describe('presentEvent: a return read by another charity', () => {
  it('says that it happened and who took it back, without the reason', () => {
    const event = {
      deviceId: 'd',
      seq: 9,
      action: 'return',
      fromStatus: 'DISTRIBUTED',
      toStatus: 'COLLECTED',
      actorUserId: 'u',
      organizationId: ORG.workshop,
      at: '2026-01-02T03:04:05.000Z',
      payload: EVENTS.return.payload,
      prevHash: 'p',
      hash: 'h',
    };
    expect(presentEvent(event, viewer('otherCharity'), [ORG.charity])).toMatchObject({ organizationId: ORG.workshop, payload: { custodianOrganizationId: ORG.workshop } });
    expect(presentEvent(event, viewer('otherCharity'), [ORG.charity]).payload).not.toHaveProperty('reason');
    expect(presentEvent(event, viewer('charity'), [ORG.charity]).payload).toMatchObject({ reason: REASON });
  });
});
