// Shared by the import benchmark (compiled with the app: see tsconfig.build.json) and the integration tests.

/** A GLPI 10 French export (BOM, `;`, every cell quoted and followed by `;`, LF) of `count` valid computers. */
export function generateGlpiExport(count: number, serialPrefix: string): Buffer {
  const header = ['Nom', 'Entité', 'Statut', 'Fabricant', 'Numéro de série', 'Type', 'Modèle', "Système d'exploitation - Nom", 'Lieu',
    'Dernière modification', 'Composants - Processeur', "Numéro d'inventaire", 'Composants - Mémoire', "Informations financières et administratives - Date d'achat"];
  const cell = (v: string) => `"${v.replace(/"/g, "''")}";`;
  const lines = [header.map(cell).join('')];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(5, '0');
    lines.push(
      [`PC-${n}`, 'Entité racine > Mairie', 'À réformer', i % 2 ? 'Dell Inc.' : 'HP', `${serialPrefix}${n}`, i % 5 ? 'Desktop' : 'Laptop', i % 2 ? 'OptiPlex 7060' : 'ProDesk 400 G5',
        'Microsoft Windows 10 Professionnel', 'Hôtel de Ville > Accueil', '2026-11-02 11:18', 'Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz', `INV-${n}`, '8 Gio', `20${18 + (i % 5)}-0${1 + (i % 9)}-1${i % 10}`]
        .map(cell)
        .join(''),
    );
  }
  return Buffer.from(`\ufeff${lines.join('\n')}\n`, 'utf8');
}
