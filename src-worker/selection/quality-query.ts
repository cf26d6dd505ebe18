/**
 * ctapipe's QualityQuery: a list of named criteria, every one evaluated for
 * every item (no short cut), with ctapipe's bookkeeping — per criterion how
 * many items passed it, and how many passed it and all before it — which
 * ctapipe-process writes to /dl1/service/image_statistics (ImageQualityQuery)
 * and /dl2/service/tel_event_statistics/<reconstructor> (StereoQualityQuery),
 * the first row being TOTAL.
 */
import { parseQualityExpression, passes, QualityExpressionError, type QualityAst, type QualityContext, type QualityInput } from './quality-expression.js';

export interface QualityCriterion {
  /** ctapipe's criterion name, e.g. "size_greater_0" */
  name: string;
  /** its expression as written, e.g. "image.sum() > 0" */
  expression: string;
  ast: QualityAst;
}

/** Thrown for a criterion that cannot be applied as ctapipe applies it; names it. */
export class QualityCriterionError extends Error {}

/** Parses `[name, expression]` pairs; `where` names the query in messages (e.g. "ImageProcessor.ImageQualityQuery"). */
export function compileCriteria(pairs: readonly (readonly [string, string])[], ctx: QualityContext, where: string): QualityCriterion[] {
  return pairs.map(([name, expression]) => {
    try {
      return { name, expression, ast: parseQualityExpression(expression, ctx) };
    } catch (err) {
      if (!(err instanceof QualityExpressionError)) throw err;
      throw new QualityCriterionError(`${where} criterion "${name}": "${expression}" cannot be evaluated by Lightpool (${err.message})`);
    }
  });
}

/** counts[0] / cumulative[0] are TOTAL, then one per criterion. */
export interface QualityCounts {
  counts: Float64Array;
  cumulative: Float64Array;
}

export function newQualityCounts(nCriteria: number): QualityCounts {
  return { counts: new Float64Array(nCriteria + 1), cumulative: new Float64Array(nCriteria + 1) };
}

export function addQualityCounts(into: QualityCounts, from: QualityCounts): void {
  for (let i = 0; i < into.counts.length; i++) {
    into.counts[i] += from.counts[i];
    into.cumulative[i] += from.cumulative[i];
  }
}

/** Evaluates every criterion (counting as ctapipe does when `counts` is given); true when all pass. */
export function applyQualityQuery(criteria: readonly QualityCriterion[], input: QualityInput, counts?: QualityCounts): boolean {
  let all = true;
  if (counts) {
    counts.counts[0]++;
    counts.cumulative[0]++;
  }
  for (let i = 0; i < criteria.length; i++) {
    const ok = passes(criteria[i].ast, input);
    if (!ok) all = false;
    if (counts) {
      if (ok) counts.counts[i + 1]++;
      if (all) counts.cumulative[i + 1]++;
    }
  }
  return all;
}
