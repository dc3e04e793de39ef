import type { LegalReference } from '@bijstand/domain';
import { shortCitation } from './dutch.js';

/**
 * The rules behind a letter in words a resident reads: the law and its article, then what it means for them.
 * The engine's labels are written for handlers and judges; a resident's annex names no internal document
 * (no programme plan, no measure numbers) and says what the article does in plain Dutch.
 */
const WORDS: Record<string, string> = {
  'netto-inkomen uit de polisadministratie':
    'wij gebruiken uw netto-inkomen zoals uw werkgever of uitkering het doorgeeft',
  'alleen inkomen over de bijstandsperiode telt': 'alleen inkomen over de tijd dat u bijstand krijgt telt mee',
  'inkomen telt in de maand waarin erover kan worden beschikt': 'inkomen telt mee in de maand waarin u het krijgt',
  'na de bijstandsperiode ontvangen, erin verworven: over de maanden van verwerving':
    'geld dat u later krijgt voor werk in een bijstandsmaand, telt mee in die maand',
  'betaling bedoeld voor toekomstige perioden: over die perioden':
    'geld dat bedoeld is voor latere maanden, telt mee in die maanden',
  'kostenbesparende bijdragen van anderen, samen met giften tot het vrije bedrag':
    'hulp van anderen in uw kosten kan uw bijstand lager maken',
  'opgegeven ander inkomen (alimentatie, giften, overig)': 'ander inkomen dat u opgeeft, zoals alimentatie, telt mee',
  'giften vrijgelaten tot het bedrag per kalenderjaar': 'giften tellen pas mee boven een bedrag per jaar',
  bijstandsnorm: 'het bedrag waar u recht op heeft zonder inkomen',
  kostendelersnorm: 'woont u met anderen, dan is het bedrag lager',
  'kostendelersnorm van gehuwden: de som van de norm van ieder van hen':
    'woont u met anderen, dan is het bedrag voor u samen lager',
  'gehuwden van wie één partner recht heeft op bijstand': 'het bedrag als één van u recht heeft op bijstand',
  'alleenstaande ouder van wie de partner geen recht heeft: norm van art. 24 plus 1/12 van de alleenstaande-ouderkop':
    'een hoger bedrag voor een ouder die voor een kind zorgt',
  'alleenstaande-ouderkop per jaar': 'het extra bedrag voor een ouder die alleen voor een kind zorgt',
  'verlaging van de bijstand (maatregel)': 'de gemeente kan uw bijstand een tijd lager maken',
  'reservering vakantietoeslag': 'wij sparen elke maand een deel van uw bijstand als vakantiegeld',
  'in aanmerking te nemen inkomen': 'welk inkomen meetelt',
  'inkomstenvrijlating (tot 2027)': 'een deel van uw loon telt niet mee',
  'vrijlating inkomsten uit arbeid': 'een deel van uw loon telt niet mee',
  'vrijlating inkomsten uit arbeid bij medische urenbeperking':
    'een deel van uw loon telt niet mee als u minder kunt werken',
  'vrijlating inkomsten uit arbeid vanaf de pensioengerechtigde leeftijd':
    'een deel van uw loon telt niet mee na uw pensioenleeftijd',
  'inkomen van de partner zonder recht op bijstand, na vrijlating volgens paragraaf 3.4':
    'het inkomen van een partner zonder bijstand telt voor een deel mee',
  'inkomen van de partner zonder recht op bijstand, voor zover het de gezinsnorm te boven gaat':
    'het inkomen van een partner zonder bijstand telt mee voor zover het meer is dan nodig',
  'recht op bijstand: norm min inkomen': 'uw bijstand is het bedrag waar u recht op heeft min uw inkomen',
  'standaardwerkwijze vakantiegeld en IKB': 'hoe wij vakantiegeld van uw werkgever meetellen',
  'herziening en terugvordering': 'kreeg u te veel, dan moet u dat terugbetalen',
  'voorschot op basis van verwacht inkomen uit de polisadministratie':
    'wij betalen vooraf met het inkomen dat wij verwachten',
  'uitbetaling vakantietoeslag': 'wij betalen het gespaarde vakantiegeld één keer per jaar uit',
  'verrekening van de vordering met de bijstand': 'wat u moet terugbetalen, houden wij in op uw bijstand',
  'betaling aan ieder van de echtgenoten de helft': 'u en uw partner krijgen ieder de helft',
  'bufferbudget voor huishoudens met inkomsten uit arbeid':
    'het bufferbudget vult aan als u werkt en wij geld inhouden',
  'vermogen: inkomen van buiten de bijstandsperiode': 'geld van voor uw bijstand telt als vermogen',
  'de termijn voor bezwaar is zes weken': 'u heeft zes weken om bezwaar te maken',
  'wat in een bezwaarschrift moet staan': 'wat er in uw bezwaar moet staan',
};

/** Laws a resident can look up; anything else (the programme plan) is named by what it is about. */
const PUBLISHED =
  /^(Participatiewet|Algemene wet bestuursrecht|Regeling Participatiewet|Wet op het kindgebonden budget)/;

export function residentCitation(r: LegalReference): string {
  const words = WORDS[r.label] ?? r.label;
  if (!PUBLISHED.test(r.law)) return `Afspraken over de Participatiewet in balans: ${words}`;
  return `${r.law}, ${shortCitation(r)}: ${words}`;
}
