/** Python code, syntax-highlighted by highlight.js (which escapes the source). */
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import "highlight.js/styles/github.css";
import { useMemo } from "react";

hljs.registerLanguage("python", python);

export function CodeBlock({ code }: { code: string }) {
  const html = useMemo(() => hljs.highlight(code, { language: "python", ignoreIllegals: true }).value, [code]);
  return (
    <pre className="code-block" data-testid="code-block">
      <code className="hljs language-python" dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
