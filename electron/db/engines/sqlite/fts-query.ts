/**
 * Renders the engine-neutral search tree into an FTS5 MATCH expression. Every word is
 * emitted as a quoted string, so punctuation in names ("x264-GRP", "S01E03.mkv") becomes a
 * phrase of its tokens instead of FTS5 operators.
 */
import type { SearchNode } from '../../../../shared/search-query';
import { hasPositive } from '../../../../shared/search-query';

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

export function toFts5(node: SearchNode): string {
  switch (node.kind) {
    case 'term':
      return node.prefix ? `${quote(node.text)} *` : quote(node.text);
    case 'phrase':
      return quote(node.text);
    case 'not':
      // A bare NOT only appears inside an AND (parseSearchQuery refuses it elsewhere).
      return toFts5(node.child);
    case 'or':
      return `(${node.children.map(toFts5).join(' OR ')})`;
    case 'and': {
      // FTS5's NOT is binary ("a NOT b"), so positives are joined first and exclusions follow.
      const positives = node.children.filter(hasPositive);
      const negatives = node.children.filter((child) => !hasPositive(child));
      let out = positives.length === 1 ? toFts5(positives[0] as SearchNode) : `(${positives.map(toFts5).join(' AND ')})`;
      for (const negative of negatives) out = `(${out} NOT ${toFts5(negative)})`;
      return out;
    }
  }
}
