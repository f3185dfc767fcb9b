/** What is printed on one label. `url` is what the QR encodes: `{PUBLIC_URL}/d/{code}`. */
export interface LabelContent {
  code: string;
  url: string;
  /** Device type in words, e.g. « Ordinateur portable ». */
  typeLabel?: string;
  organizationShortName?: string;
}
