/** What an erasure certificate states. Stored with the certificate; the public page shows it minus `technician`. */
export interface CertificateMedium {
  serial: string;
  model: string | null;
  kind: string | null;
  capacityGb: number | null;
  /** Set when the workshop declared this medium, listed by the donor, absent from the device (then `erasure` is null). */
  absent?: { at: string; reason: string };
  /** null when no erasure of this medium counts for the current custody. */
  erasure: {
    id: string;
    level: string;
    method: string;
    tool: string;
    toolVersion: string | null;
    verification: string;
    result: string;
    startedAt: string;
    endedAt: string;
    /** Short pseudonymous form of the technician's user id (never a name or an e-mail). */
    technician: string | null;
    organization: string;
    reportSha256: string | null;
    source: string;
  } | null;
}

export interface CertificateFacts {
  certificateId: string;
  issuedAt: string;
  verifyUrl: string;
  device: { code: string; type: string; typeLabel: string; brand: string; model: string; serialNumber: string; status: string; statusLabel: string };
  /** The workshop that erased (place and organisation of the NIST sample certificate). */
  workshop: { name: string } | null;
  custodyInAt: string | null;
  noStorage: boolean;
  media: CertificateMedium[];
  reportHashes: string[];
  eventSeq: number;
  eventHash: string | null;
}

export const LEVEL_LABELS_FR: Record<string, string> = {
  CLEAR: 'Effacement (NIST Clear)',
  PURGE: 'Purge (NIST Purge)',
  DESTROY: 'Destruction (NIST Destroy)',
};

export const VERIFICATION_LABELS_FR: Record<string, string> = {
  NONE: 'Aucune',
  SAMPLED: 'Par échantillonnage',
  FULL: 'Complète (relecture intégrale)',
};

export const MEDIUM_KIND_LABELS_FR: Record<string, string> = {
  HDD: 'Disque dur (HDD)',
  SSD: 'SSD SATA',
  NVME: 'SSD NVMe',
  EMMC: 'Mémoire eMMC',
  FLASH: 'Mémoire flash (clé, carte)',
  OTHER: 'Autre support',
};

/** `2026-08-21T10:02:18.000Z` → `21/08/2026 10:02 UTC`. */
export function frenchDateTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** What a medium declared absent is, on the certificate and its public page. */
export const ABSENT_MEDIUM_FR = 'support déclaré par le donateur, absent de l’appareil';
