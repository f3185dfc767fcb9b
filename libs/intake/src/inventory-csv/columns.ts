import { normalizeLabel, SourceField } from './fields';
import { TEMPLATE_FIELD_BY_COLUMN } from './renum-template';
import { InventoryFormat, InventoryLanguage } from './types';

/**
 * Which column of the file feeds which device field. Column titles are compared normalised
 * (see normalizeLabel): lower case, no accents, straight apostrophes, spaces collapsed.
 */

// ---------------------------------------------------------------------------------------------
// GLPI. A column title is the search option's label, prefixed `Group - ` when the option is
// outside the "Characteristics" group (e.g. `Composants - Processeur`). Labels follow the
// exporting user's language; en_US differs from en_GB (fixtures README), so each English
// variant is listed. A bare label (no group) is always accepted; a prefixed one only with one
// of the groups listed for the field: `Système d'exploitation - Nom` is not the computer's name.
// ---------------------------------------------------------------------------------------------

const FINANCIAL_GROUPS = ['Informations financières et administratives', 'Financial and administrative information'];

interface GlpiColumn {
  field: SourceField;
  fr: readonly string[];
  en: readonly string[];
  groups?: readonly string[];
}

const GLPI_COLUMNS: readonly GlpiColumn[] = [
  { field: 'name', fr: ['Nom'], en: ['Name'] },
  // A donor's own spreadsheet describes each item ("Ordinateur portable HP 250"): with no type, the type is read from its start.
  { field: 'description', fr: ['Désignation', 'Libellé', 'Description'], en: ['Description'] },
  // Besides GLPI's labels, the words donors type in a spreadsheet of their own (Marque, N° de série…).
  {
    field: 'serialNumber',
    fr: [
      'Numéro de série', 'N° de série', 'N° série', 'N°série', 'No de série', 'No série', 'Num de série', 'Num. de série',
      'Num série', 'Num. série', 'Numéro série', 'N/S', 'S/N', 'SN', 'Serial',
    ],
    // S/N, SN, Serial: French spreadsheets use them too, so they do not tell the language.
    en: ['Serial number' /* en_GB */, 'Serial Number' /* en_US */, 'Serial', 'Serial No', 'S/N', 'SN'],
  },
  {
    field: 'inventoryNumber',
    fr: ["Numéro d'inventaire", "N° d'inventaire", 'N° inventaire'],
    en: ['Inventory number' /* en_GB */, 'Inventory/Asset Number' /* en_US */],
  },
  { field: 'brand', fr: ['Fabricant', 'Marque', 'Constructeur'], en: ['Manufacturer' /* en_GB */, 'Manufacturers' /* en_US */, 'Brand'] },
  { field: 'model', fr: ['Modèle'], en: ['Model', 'Models'] },
  { field: 'type', fr: ['Type'], en: ['Type' /* en_GB */, 'Types' /* en_US */] },
  {
    field: 'acquisitionDate',
    fr: ["Date d'achat", "Date d'acquisition"],
    en: ['Date of purchase', 'Purchase date'],
    groups: FINANCIAL_GROUPS,
  },
  // GLPI's financial `Valeur` / `Value` is the purchase price, not what the device is worth when
  // donated (the 300 € rule is about the latter), so it is recognised but not used. A column
  // holding an estimated or net book value, when the donor adds one, is used.
  {
    field: 'estimatedValue',
    fr: ['Valeur estimée', 'Valeur nette comptable', 'Valeur résiduelle'],
    en: ['Estimated value', 'Net book value', 'Residual value'],
    groups: FINANCIAL_GROUPS,
  },
];

/** GLPI columns recognised but not used (not reported as unknown). */
const GLPI_KNOWN_LABELS: Record<InventoryLanguage, readonly string[]> = {
  fr: [
    'ID', 'Entité', 'Statut', 'Lieu', 'Dernière modification', 'Date de création', 'Commentaires',
    'Utilisateur', 'Usager', "Numéro de l'usager", 'Groupe', 'Réseau', 'UUID', 'Domaine', 'Contact',
    'Numéro du contact', 'Technicien responsable du matériel', 'Groupe responsable du matériel',
    'Source mise à jour', 'Mémoire', 'Processeur', 'Valeur', 'Fournisseur', 'Numéro de commande',
  ],
  en: [
    'ID', 'Entity', 'Entities', 'Status', 'Location', 'Locations', 'Last update', 'Creation date',
    'Comments', 'User', 'Users', 'Alternate username', 'Alternate username number', 'Group', 'Groups',
    'Network', 'Networks', 'UUID', 'Domain', 'Domains', 'Contact', 'Contact number',
    'Technician in charge of the hardware', 'Group in charge of the hardware', 'Update Source',
    'Update Sources', 'Memory', 'Processor', 'Processors', 'Value', 'Supplier', 'Order number',
  ],
};

/** GLPI option groups whose columns are all recognised but not used. */
const GLPI_KNOWN_GROUPS: Record<InventoryLanguage, readonly string[]> = {
  fr: [
    'Composants', "Système d'exploitation", 'Informations financières et administratives', 'Volumes',
    'Logiciels', 'Ports réseau', 'Réseau', 'Antivirus', 'Contrats', 'Documents', 'Tickets', 'Connexions',
    'Machines virtuelles', 'Virtualisation', 'Inventaire', 'Utilisateur', 'Gestion', 'Certificats',
    'Périphériques', 'Bases de données', 'Agent',
  ],
  en: [
    'Components', 'Operating system', 'Operating System', 'Financial and administrative information',
    'Volumes', 'Software', 'Network ports', 'Network port', 'Network', 'Antivirus', 'Contracts',
    'Documents', 'Tickets', 'Connections', 'Virtual machines', 'Virtualization', 'Inventory', 'User',
    'Management', 'Certificates', 'Devices', 'Peripherals', 'Databases', 'Agent',
  ],
};

type Tagged<T> = Map<string, { value: T; languages: Set<InventoryLanguage> }>;

function tag<T>(target: Tagged<T>, labels: readonly string[], language: InventoryLanguage, value: T): void {
  for (const label of labels) {
    const key = normalizeLabel(label);
    const entry = target.get(key) ?? { value, languages: new Set<InventoryLanguage>() };
    entry.languages.add(language);
    target.set(key, entry);
  }
}

const GLPI_FIELD_BY_LABEL: Tagged<GlpiColumn> = new Map();
const GLPI_KNOWN_BY_LABEL: Tagged<true> = new Map();
const GLPI_KNOWN_GROUP: Tagged<true> = new Map();
for (const column of GLPI_COLUMNS) {
  tag(GLPI_FIELD_BY_LABEL, column.fr, 'fr', column);
  tag(GLPI_FIELD_BY_LABEL, column.en, 'en', column);
}
for (const language of ['fr', 'en'] as const) {
  tag(GLPI_KNOWN_BY_LABEL, GLPI_KNOWN_LABELS[language], language, true);
  tag(GLPI_KNOWN_GROUP, GLPI_KNOWN_GROUPS[language], language, true);
}

/** What one GLPI column title means. */
type GlpiMatch =
  | { kind: 'field'; field: SourceField; languages: Set<InventoryLanguage> }
  | { kind: 'known'; languages: Set<InventoryLanguage> }
  | { kind: 'unknown' };

function matchGlpiTitle(title: string): GlpiMatch {
  const key = normalizeLabel(title);
  const bare = GLPI_FIELD_BY_LABEL.get(key);
  if (bare) return { kind: 'field', field: bare.value.field, languages: bare.languages };
  const known = GLPI_KNOWN_BY_LABEL.get(key);
  if (known) return { kind: 'known', languages: known.languages };
  // `Group - Label`: try each ` - ` as the separator (a label or a group may itself hold one).
  for (let at = key.indexOf(' - '); at >= 0; at = key.indexOf(' - ', at + 1)) {
    const group = key.slice(0, at);
    const label = key.slice(at + 3);
    const column = GLPI_FIELD_BY_LABEL.get(label);
    if (column?.value.groups?.some((g) => normalizeLabel(g) === group)) {
      return { kind: 'field', field: column.value.field, languages: column.languages };
    }
    const knownGroup = GLPI_KNOWN_GROUP.get(group);
    if (knownGroup) return { kind: 'known', languages: knownGroup.languages };
  }
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------------------------------------
// Mapping a header row.
// ---------------------------------------------------------------------------------------------

export interface ColumnMapping {
  format: InventoryFormat;
  language?: InventoryLanguage;
  /** Field → index of the column in the row, and its title as written (for messages). */
  columns: Map<SourceField, { index: number; title: string }>;
  ignoredColumns: string[];
  /** Titles met twice: only the first column is read. */
  duplicateTitles: string[];
  /** Number of titles recognised (used or not): 0 means this is no inventory header. */
  recognised: number;
}

/** `serialNumber` in one word is Renum's template; GLPI never writes it so. */
function isTemplateHeader(titles: readonly string[]): boolean {
  return titles.some((t) => normalizeLabel(t) === 'serialnumber');
}

export function mapHeader(titles: readonly string[]): ColumnMapping {
  const format: InventoryFormat = isTemplateHeader(titles) ? 'RENUM_TEMPLATE' : 'GLPI';
  const mapping: ColumnMapping = { format, columns: new Map(), ignoredColumns: [], duplicateTitles: [], recognised: 0 };
  const votes: Record<InventoryLanguage, number> = { fr: 0, en: 0 };
  titles.forEach((raw, index) => {
    const title = raw.trim().replace(/\s*:$/, ''); // « N° de série : », as a form is written
    if (title === '') return; // an untitled column carries nothing we could name
    let field: SourceField | undefined;
    if (format === 'RENUM_TEMPLATE') {
      field = TEMPLATE_FIELD_BY_COLUMN.get(normalizeLabel(title));
    } else {
      const match = matchGlpiTitle(title);
      if (match.kind !== 'unknown' && match.languages.size === 1) votes[[...match.languages][0]] += 1;
      if (match.kind === 'known') {
        mapping.recognised += 1;
        return;
      }
      if (match.kind === 'field') field = match.field;
    }
    if (!field) {
      if (!mapping.ignoredColumns.includes(title)) mapping.ignoredColumns.push(title);
      return;
    }
    mapping.recognised += 1;
    if (mapping.columns.has(field)) mapping.duplicateTitles.push(title);
    else mapping.columns.set(field, { index, title });
  });
  if (format === 'GLPI' && mapping.recognised > 0) mapping.language = votes.en > votes.fr ? 'en' : 'fr';
  return mapping;
}
