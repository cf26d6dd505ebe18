/**
 * Which lab view an HDF5 node opens in — the one place that decides it, so
 * a file-format registry can take it over: a numeric N × samples dataset
 * "as signals" (spectroscopy), a 2-D float dataset or a group holding CSR
 * arrays data / indices / indptr "as system matrix" (Compton imaging).
 * Pure, so it is unit-tested.
 */
import type { TreeNode } from '../../src-main/api/file-contract.js';

export type LabTarget = 'signals' | 'system-matrix';

export interface LabAction {
  target: LabTarget;
  label: string;
  title: string;
}

const INT_OR_FLOAT = /^[<>|=]?([iu][1248]|f[48])$/;
const FLOAT = /^[<>|=]?f(4|8)$/;

export function labActions(node: Pick<TreeNode, 'kind' | 'shape' | 'dtype' | 'columns' | 'children'>): LabAction[] {
  const out: LabAction[] = [];
  if (node.kind === 'dataset' && !node.columns?.length && node.shape?.length === 2 && INT_OR_FLOAT.test(node.dtype ?? '')) {
    const [n, samples] = node.shape;
    if (n >= 1 && samples >= 2)
      out.push({ target: 'signals', label: 'open as signals', title: 'rows as digitized signals in the Lab tab: trapezoidal shaper, pulse-height spectrum' });
    if (FLOAT.test(node.dtype ?? '') && n >= 1 && samples >= 2)
      out.push({
        target: 'system-matrix',
        label: 'open as system matrix',
        title: 'a Compton camera system matrix (cones × pixels) in the Lab tab: MLEM imaging',
      });
  }
  if (node.kind === 'group') {
    const names = new Set((node.children ?? []).filter((c) => c.kind === 'dataset').map((c) => c.name));
    if (['data', 'indices', 'indptr'].every((n) => names.has(n))) {
      out.push({ target: 'system-matrix', label: 'open as system matrix', title: 'a CSR system matrix (data, indices, indptr) in the Lab tab: MLEM imaging' });
    }
  }
  return out;
}
