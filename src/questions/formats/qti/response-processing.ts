import { attr, childElements, textContent, type XmlElement } from './xml-tree.js';

/** A numeric answer as a responseIf branch states it: within `tolerance` of `value` earns `score`. */
export interface NumericBranch { value: number; tolerance: number; score: number }

/**
 * What an item's response processing does with each response, in the few shapes we understand:
 * the three standard templates, and the custom rules our exporter writes (sums of mapResponse,
 * numeric `equal` with a tolerance, and the Part II rule that counts statements judged right).
 */
export interface ResponseScoring {
  /** Responses scored by their mapping (map_response, or SCORE summed with mapResponse). */
  mapped: Set<string>;
  /** Responses scored all-or-nothing against their correct response (match_correct). */
  matched: Set<string>;
  numeric: Map<string, NumericBranch[]>;
  /** Part II: SCORE by how many statements of `response` are right (its mapping counts them). */
  stepped?: { response: string; scores: Map<number, number> };
  /** False when some rule setting SCORE was not understood: the import used the correct responses. */
  understood: boolean;
}

const TEMPLATE = /rptemplates\/(match_correct|map_response|map_response_point)(?:\.xml)?$/i;

const number = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : Number(text.trim()));

/** The standard template an URI names (either version), or undefined. */
export function templateName(uri: string): string | undefined {
  return TEMPLATE.exec(uri.trim())?.[1]?.toLowerCase();
}

export function analyseResponseProcessing(processing: XmlElement | undefined, responseIds: Set<string>): ResponseScoring {
  const scoring: ResponseScoring = { mapped: new Set(), matched: new Set(), numeric: new Map(), understood: true };
  if (!processing) return scoring;
  const template = attr(processing, 'template') ?? attr(processing, 'templateLocation');
  if (template) {
    const name = templateName(template);
    if (name === 'match_correct') scoring.matched.add('RESPONSE');
    else if (name) scoring.mapped.add('RESPONSE');
    else scoring.understood = false;
    if (childElements(processing).length === 0) return scoring;
  }
  // The outcome that counts a response's right statements (Part II), by outcome name.
  const counters = new Map<string, string>();

  const readCondition = (condition: XmlElement | undefined, score: number) => {
    const [left, right] = condition ? childElements(condition) : [];
    if (!condition || !left || !right) return false;
    const variable = left.name === 'variable' ? attr(left, 'identifier') : undefined;
    if (condition.name === 'match' && variable && right.name === 'correct' && attr(right, 'identifier') === variable) {
      scoring.matched.add(variable);
      return true;
    }
    if (condition.name !== 'equal' || !variable || right.name !== 'baseValue') return false;
    const value = number(textContent(right));
    if (value === undefined || Number.isNaN(value)) return false;
    const counted = counters.get(variable);
    if (counted) {
      scoring.stepped ??= { response: counted, scores: new Map() };
      scoring.stepped.scores.set(value, score);
      return true;
    }
    if (!responseIds.has(variable)) return false;
    const mode = attr(condition, 'toleranceMode') ?? 'exact';
    const given = number((attr(condition, 'tolerance') ?? '0').split(/\s+/)[0]) ?? 0;
    const tolerance = mode === 'absolute' ? given : mode === 'relative' ? Math.abs(value) * given / 100 : 0;
    scoring.numeric.set(variable, [...(scoring.numeric.get(variable) ?? []), { value, tolerance, score }]);
    return true;
  };

  // SCORE := expression, under `condition` when inside a responseIf; false when not understood.
  const readScore = (expression: XmlElement | undefined, condition: XmlElement | undefined): boolean => {
    if (!expression) return false;
    const parts = expression.name === 'sum' ? childElements(expression) : [expression];
    const own = parts.filter((p) => !(p.name === 'variable' && attr(p, 'identifier') === 'SCORE'));
    if (own.length !== 1) return false;
    const [term] = own as [XmlElement];
    if (term.name === 'mapResponse' && !condition) {
      scoring.mapped.add(attr(term, 'identifier') ?? '');
      return true;
    }
    if (term.name !== 'baseValue') return false;
    const score = number(textContent(term)) ?? Number.NaN;
    if (Number.isNaN(score)) return false;
    return condition ? readCondition(condition, score) : score === 0;
  };

  const visit = (statements: XmlElement[], condition?: XmlElement) => {
    for (const statement of statements) {
      if (statement.name === 'setOutcomeValue') {
        const outcome = attr(statement, 'identifier') ?? '';
        const [expression] = childElements(statement);
        if (outcome === 'SCORE') {
          if (!readScore(expression, condition)) scoring.understood = false;
        } else if (expression?.name === 'mapResponse' && !condition) {
          counters.set(outcome, attr(expression, 'identifier') ?? '');
        }
      } else if (statement.name === 'responseCondition') {
        for (const branch of childElements(statement)) {
          const [test, ...body] = childElements(branch);
          if (branch.name === 'responseElse') visit(childElements(branch));
          else visit(body, test);
        }
      }
    }
  };
  visit(childElements(processing));
  return scoring;
}
