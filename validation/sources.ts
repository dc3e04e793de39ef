/**
 * Published sources outside this project whose figures the law-validation suite checks the engine
 * against. Each `states` entry quotes a figure as the source prints it (Dutch notation), so that a
 * reviewer can find it on the page. The URLs are as the stored copies were found (a search index of
 * public pages, read 2026-12-07); `date` is the date the figures apply from, as the source says it,
 * and `dateNote` says how it was established when the stored copy itself does not show it.
 */
export interface Source {
  id: string;
  title: string;
  publisher: string;
  url: string;
  /** The date the quoted figures apply from (ISO), or of publication where that is all the source gives. */
  date: string;
  dateNote?: string;
  /** The figures the cases use, quoted. */
  states: readonly string[];
}

export const sources = {
  rsdLiemers2024: {
    id: 'rsdLiemers2024',
    title: 'Uitkeringsbedragen Participatiewet',
    publisher: 'RSD De Liemers (intergemeentelijke sociale dienst)',
    url: 'https://www.rsddeliemers.nl/uitkeringsbedragen-participatiewet',
    date: '2024-01-01',
    states: [
      'Met ingang van 1 januari 2024 gelden de volgende normbedragen',
      'getrouwd/samenwonend/gezin € 1.834,04 (incl. VT) € 1.742,34 (excl. VT) € 91,70 (VT)',
      'alleenstaande € 1.283,83 / € 1.219,64 / € 64,19',
      '2 persoonshuishouding € 917,02 / € 871,17 / € 45,85',
      '3 persoonshuishouding € 794,75 / € 755,01 / € 39,64',
      '4 persoonshuishouding € 733,62 / € 696,94 / € 36,68',
      '5 persoonshuishouding € 696,94 / € 622,09 / € 34,85',
      '6 persoonshuishouding € 672,48 / € 638,86 / € 33,62',
      '7 persoonshuishouding € 655,01 / € 622,26 / € 32,75',
      '8 persoonshuishouding € 641,91 / € 609,81 / € 32,10',
      'geen woonlasten: een verlaging van € 183,40 per maand',
    ],
  },
  laborijn2024: {
    id: 'laborijn2024',
    title: 'Wat is de hoogte van mijn uitkering',
    publisher: 'Laborijn (sociale dienst Aalten, Doetinchem, Oude IJsselstreek)',
    url: 'https://www.laborijn.nl/wat-is-de-hoogte-van-mijn-uitkering',
    date: '2024-01-01',
    states: [
      'De bedragen gelden per 1 januari 2024',
      'Alleenstaande of alleenstaande ouder van 21 jaar tot de pensioengerechtigde leeftijd: ' +
        '€ 1.219,64 / € 64,19 / € 1.283,83',
      'Gehuwden ... beide 21 jaar of ouder ...: € 1.742,34 / € 91,70 / € 1.834,04',
    ],
  },
  krimpenerwaard2023: {
    id: 'krimpenerwaard2023',
    title: 'Nieuwe bijstandsnormen per 1 juli 2023',
    publisher: 'Gemeente Krimpenerwaard',
    url: 'https://www.krimpenerwaard.nl/nieuwe-bijstandsnormen-per-1-juli-2023',
    date: '2023-07-01',
    states: [
      'hoogte van de bijstandsuitkering (inclusief 5% vakantiegeld) die geldt per 1 juli 2023',
      'Een alleenstaande of alleenstaande ouder: € 1.216,62',
      'Gehuwden waarvan beide echtgenoten jonger zijn dan de pensioengerechtigde leeftijd: € 1.738,02',
    ],
  },
  venray2023: {
    id: 'venray2023',
    title: 'Hoogte en betaling bijstandsuitkering',
    publisher: 'Gemeente Venray',
    url: 'https://www.venray.nl/hoogte-en-betaling-bijstandsuitkering',
    date: '2023-07-01',
    dateNote:
      'the stored copy shows no date; its norms (alleenstaande € 1.216,62, gehuwden € 1.738,02) are those ' +
      'Krimpenerwaard publishes as in force per 1 juli 2023 (source krimpenerwaard2023)',
    states: [
      'Gehuwden of samenwonenden € 1.738,02 (inclusief vakantietoeslag)',
      'Kostendelersnorm ..., per persoon bij: 2 personen (50% van de norm) € 869,01',
      '3 personen (43,33% van de norm) € 753,14',
      '4 personen (40% van de norm) € 695,21',
      '5 personen (38% van de norm) € 660,45',
      '6 personen (36,67% van de norm) € 637,27',
    ],
  },
  stab2018: {
    id: 'stab2018',
    title: 'Bijstandsnormen (tabel netto per maand, Participatiewet)',
    publisher: 'st-ab.nl (Stichting Arbeidsrecht en Bijstand), after the SZW Mededeling of 23 November 2017',
    url: 'https://st-ab.nl/abwnorm45.htm',
    date: '2018-01-01',
    dateNote: 'the page cites "Mededeling van 23 november 2017, Stcrt. 2017, 68641" (the norms per 1 januari 2018)',
    states: [
      '21 jaar tot pensioengerechtigde leeftijd: alleenstaande of alleenstaande ouder ' +
        '992,12 (incl. VT) 942,51 (excl. VT) 49,61 (VT)',
      'gehuwden 1417,32 / 1346,45 / 70,87',
    ],
  },
  allewetten2017: {
    id: 'allewetten2017',
    title: 'Bijstandsnormen (tabel netto per maand, Participatiewet)',
    publisher: 'allewetten.nl, after the SZW Mededeling of 22 June 2017',
    url: 'https://allewetten.nl/content/abwnorm44.htm',
    date: '2017-07-01',
    dateNote: 'the page cites "Mededeling van 22 juni 2017, Stcrt. 2017, 36285" (the norms per 1 juli 2017)',
    states: [
      '21 jaar tot pensioengerechtigde leeftijd: alleenstaande of alleenstaande ouder ' +
        '986,52 (incl. VT) 937,19 (excl. VT) 49,33 (VT)',
      'gehuwden 1409,31 / 1338,85 / 70,47',
    ],
  },
  heerenveen2017jan: {
    id: 'heerenveen2017jan',
    title: 'Bijstandsbedragen',
    publisher: 'Gemeente Heerenveen',
    url: 'https://www.heerenveen.nl/zorg-en-uitkeringen/bijstandsbedragen/',
    date: '2017-01-01',
    dateNote: 'one of two stored versions of the page; this one matches its heading "per 1 januari 2017"',
    states: [
      'Hoogte van de bijstandsbedragen per 1 januari 2017',
      'Het wettelijk minimumloon is € 1.403,98 inclusief vakantietoeslag (5%)',
      'Getrouwd of samenwonend € 1.333,78 (the amounts are excl. vakantietoeslag)',
    ],
  },
  heerenveen2017: {
    id: 'heerenveen2017',
    title: 'Bijstandsbedragen',
    publisher: 'Gemeente Heerenveen',
    url: 'https://www.heerenveen.nl/zorg-en-uitkeringen/bijstandsbedragen/',
    date: '2017-07-01',
    dateNote:
      'the other stored version of the page: still headed "per 1 januari 2017" but quoting the minimum wage ' +
      'incl. VT of € 1.409,31, the gehuwdennorm per 1 juli 2017 (source allewetten2017); its amounts are excl. VT',
    states: [
      'Het wettelijk minimumloon is € 1.409,31 inclusief vakantietoeslag (5%)',
      'Getrouwd of samenwonend € 1.338,84',
      'Alleenstaand € 937,19',
    ],
  },
  uithoorn2024: {
    id: 'uithoorn2024',
    title: 'Inkomstenvrijlating',
    publisher: 'Gemeente Uithoorn',
    url: 'https://www.uithoorn.nl/Home/Werk_en_inkomen/Werk_en_uitkeringen/Inkomstenvrijlating',
    date: '2024-01-01',
    dateNote: 'the page says "tarief 2024"; taken as in force from 1 January 2024',
    states: [
      'dan mag u 25% van uw inkomsten uit werk houden, met een maximum van € 264,00 per maand (tarief 2024)',
      'als u in een maand netto € 100,- verdient met werken, mag u € 25,- houden',
      'Deze vrijlating mag u maximaal zes maanden houden',
    ],
  },
  zutphen2020: {
    id: 'zutphen2020',
    title: 'Werken naast uw bijstand',
    publisher: 'Gemeente Zutphen',
    url: 'https://zutphen.nl/bijstandsuitkering/werken-naast-uw-bijstand',
    date: '2020-07-01',
    states: [
      'dan mag u 25% van uw loon houden, met een maximum van €217 per maand (bedrag per 1 juli 2020)',
      'Deze vrijlating geldt voor maximaal 6 maanden',
    ],
  },
  iasz2026: {
    id: 'iasz2026',
    title: 'Bijstandsnormen, overige bedragen',
    publisher: 'IASZ (Intergemeentelijke Afdeling Sociale Zaken)',
    url: 'https://www.iasz.nl/bijstandsnormen-overige-bedragen',
    date: '2026-01-01',
    dateNote:
      'the stored copy shows no date; its "10% van de norm voor gehuwden" of € 200,21 is 10% of the gehuwdennorm ' +
      '€ 2.002,13 that SPEC §2 holds for 1 januari 2026 (Stcrt. 2025, 43553), and € 285 is the art. 31(2)(n) ' +
      'maximum of that half-year',
    states: [
      'Verlaging bijstandsnorm met 10% van de norm voor gehuwden i.v.m. ontbreken woonkosten: €200,21',
      'Vrij te laten inkomsten uit arbeid (onderdeel n): €285',
    ],
  },
  szwProgrammaplan: {
    id: 'szwProgrammaplan',
    title: 'Programmaplan Participatiewet in Balans, Bijlage I',
    publisher: 'Ministerie van Sociale Zaken en Werkgelegenheid',
    url: '/work/shared/seeds/001_16b115e06615462a.txt (seed 001 of docs/SPEC.md)',
    date: '2027-01-01',
    dateNote: 'measures of the Participatiewet in balans; the disregard and norm measures take effect 1 January 2027',
    states: [
      'Eén geharmoniseerde vrijlating van 15% voor de duur van 1 jaar.',
      'Introductie van een standaard vrijlating voor giften van € 1 200 per jaar.',
      'De norm voor een bijstandsgerechtigde met een niet-rechthebbende partner ... ophogen (van 50%) ' +
        'naar 70% van de gehuwdennorm.',
    ],
  },
  arnhem2023: {
    id: 'arnhem2023',
    title: 'Vrijstelling giften tot € 1.800',
    publisher: 'Gemeente Arnhem',
    url: 'https://www.arnhem.nl/Inwoners/werk_en_inkomen/bijstandsuitkering/Vrijstelling_giften_tot_1_200',
    date: '2023-05-01',
    states: [
      'Vanaf 1 mei 2023 hoeft u dit pas te melden als alle giften bij elkaar meer dan € 1.800 per jaar zijn.',
      'elke maand een tas met boodschappen ... ter waarde van € 50 (in totaal € 50 x 12 maanden = € 600 per jaar) ' +
        'en een familielid heeft een wasmachine voor u betaald van € 400 ... in totaal € 1.000 ... ' +
        'niet in mindering gebracht',
      'maandelijks van een vriend € 250 ... na 8 maanden ... € 2.000 ... ' +
        'In principe wordt wat u boven deze € 1.800 ontvangt, gekort',
    ],
  },
  noordenveld2022: {
    id: 'noordenveld2022',
    title: 'Giften tot € 1.200 toegestaan bij uitkering',
    publisher: 'Gemeente Noordenveld',
    url: 'https://noordenveld.nl/giften-tot-eu-1200-toegestaan-bij-uitkering',
    date: '2022-01-01',
    states: [
      'vanaf 1 januari 2022 naast hun uitkering € 1.200,- per jaar aan giften ontvangen ' +
        'zonder dat dit gevolgen heeft',
      'maandelijks een tas boodschappen ... ter waarde van € 50,- en ... éénmalig een bedrag van € 200,- ... ' +
        'hoeft dit niet meer bij ons te melden',
    ],
  },
  rechtshulpTilburg2024: {
    id: 'rechtshulpTilburg2024',
    title: 'Kindgebonden budget aanvragen',
    publisher: 'Rechtshulp Tilburg',
    url: 'https://rechtshulptilburg.nl/encyclopedie/kindgebonden-budget-aanvragen',
    date: '2024-01-01',
    dateNote: 'the page says "In 2024"',
    states: [
      'Alleenstaande ouderkop ... In 2024 is dit maximaal € 3.531 per jaar extra, ongeacht het aantal kinderen.',
    ],
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof sources;
