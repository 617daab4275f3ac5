import { GraphQLError, Kind, type ValidationContext, type ASTVisitor, type SelectionSetNode, type FragmentDefinitionNode } from 'graphql';

export const MAX_QUERY_DEPTH = 12;

/**
 * Rejects documents nested deeper than `max` (fragments followed). Used on HTTP by Apollo
 * and on WebSocket by graphql-ws's onSubscribe: both paths get the same limit.
 */
export function depthLimit(max = MAX_QUERY_DEPTH) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    const depthOf = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>): number => {
      if (!set) return depth;
      let deepest = depth;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          deepest = Math.max(deepest, depthOf(sel.selectionSet, depth + 1, seen));
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(sel.selectionSet, depth, seen));
        } else if (!seen.has(sel.name.value)) {
          const fragment = fragments.get(sel.name.value);
          deepest = Math.max(deepest, depthOf(fragment?.selectionSet, depth, new Set([...seen, sel.name.value])));
        }
        if (deepest > max) return deepest;
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, 0, new Set());
        if (depth > max) {
          context.reportError(
            new GraphQLError(`查询嵌套层数 ${depth} 超过上限 ${max}`, { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
          );
        }
      },
    };
  };
}
