/**
 * Erasure reports written by wiping tools (nwipe/ShredOS text logs today; an nwipe JSON
 * report or a Blancco XML report tomorrow), read into one tool-independent shape.
 *
 * Every parser here is pure: text in, data out, no I/O. To support another tool, write
 * one more `ErasureReportParser` and add it to `ERASURE_REPORT_PARSERS`.
 */
import { NwipeLogParser } from './nwipe-log.parser';

export type ParsedMediumKind = 'HDD' | 'SSD' | 'NVME' | 'EMMC' | 'FLASH' | 'OTHER';
export type ParsedVerification = 'NONE' | 'SAMPLED' | 'FULL';
export type ParsedErasureLevel = 'CLEAR' | 'PURGE' | 'DESTROY';
export type ParsedHiddenSectors = 'NONE' | 'DETECTED_WIPED' | 'DETECTED_NOT_WIPED' | 'UNKNOWN';
export type ParsedDiskStatus = 'ERASED' | 'FAILED' | 'ABORTED' | 'INSANITY' | 'UNKNOWN';
export type ParsedErasureResult = 'PASSED' | 'FAILED';

export interface ErasureReportParser {
  /** Short tool name, e.g. `nwipe`. */
  readonly tool: string;
  /** Cheap sniffing: true when this parser recognises the text (it may still find problems in it). */
  canParse(text: string): boolean;
  parse(text: string): ParsedErasureReport;
}

/** The machine the disks were in, as the tool read it (SMBIOS/DMI). */
export interface ParsedHost {
  manufacturer?: string;
  productName?: string;
  systemSerial?: string;
  assetTag?: string;
}

export interface ParsedDiskErasure {
  /** e.g. `/dev/sda` */
  devicePath: string;
  /** As logged: the tool may truncate it (nwipe keeps 16 characters of an ATA model). */
  model?: string;
  /** Undefined when the log has none (or masks it): never invented. */
  serial?: string;
  sizeBytes?: number;
  mediumKind?: ParsedMediumKind;
  /** The tool's own label, e.g. `PRNG Stream`, `DoD Short`. */
  method: string;
  prng?: string;
  rounds?: number;
  /** A final zero-fill ("blanking") pass was part of the method. */
  blanking?: boolean;
  verification: ParsedVerification;
  /** Overwriting methods are CLEAR per NIST SP 800-88 r1. */
  level: ParsedErasureLevel;
  passErrors: number;
  verifyErrors: number;
  fdatasyncErrors: number;
  /** I/O operations the tool retried (recovered or not). */
  ioRetries: number;
  /** Host protected area / device configuration overlay. */
  hiddenSectors: ParsedHiddenSectors;
  /** ISO 8601 (see each parser for the time zone it assumes). */
  startedAt?: string;
  endedAt?: string;
  /** The tool's own verdict. */
  status: ParsedDiskStatus;
  /**
   * PASSED only if status is ERASED, there are no pass, verification or fdatasync errors,
   * no hidden area was left unwiped and the log shows the run completed.
   */
  result: ParsedErasureResult;
  /** Why the result is FAILED, in French (empty when PASSED). */
  failureReasons: string[];
  /** What a coordinator should know without failing the erasure, in French. */
  warnings: string[];
}

export interface ParsedErasureReport {
  tool: string;
  toolVersion?: string;
  host: ParsedHost;
  disks: ParsedDiskErasure[];
  /** Report-level remarks, in French. */
  warnings: string[];
}

/** Thrown when no parser recognises the text. The message is meant for the user (French). */
export class UnsupportedReportError extends Error {
  constructor(message?: string) {
    super(
      message ??
        `Format de rapport d'effacement non reconnu. Formats acceptés : ${ERASURE_REPORT_PARSERS.map((p) => describe(p)).join(', ')}.`,
    );
    this.name = 'UnsupportedReportError';
  }
}

function describe(parser: ErasureReportParser): string {
  return parser.tool === 'nwipe' ? 'journal texte nwipe/ShredOS' : parser.tool;
}

/** Tried in order; the first whose `canParse` is true wins. */
export const ERASURE_REPORT_PARSERS: ErasureReportParser[] = [new NwipeLogParser()];

export function parseErasureReport(text: string): ParsedErasureReport {
  const parser = ERASURE_REPORT_PARSERS.find((p) => p.canParse(text ?? ''));
  if (!parser) throw new UnsupportedReportError();
  return parser.parse(text);
}
