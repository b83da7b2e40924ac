/** Renders the Markdown subset of `markdown.ts` as React elements (no HTML injection). */
import { Fragment } from "react";
import { CodeBlock } from "./CodeBlock";
import { parseMarkdown, type Inline } from "./markdown";

function Inlines({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((part, i) => {
        if (part.kind === "code") return <code key={i}>{part.text}</code>;
        if (part.kind === "bold") return <strong key={i}>{part.text}</strong>;
        if (part.kind === "italic") return <em key={i}>{part.text}</em>;
        return <Fragment key={i}>{part.text}</Fragment>;
      })}
    </>
  );
}

export function RichText({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const blocks = parseMarkdown(text);
  return (
    <div className={`rich-text${streaming ? " cursor" : ""}`} data-testid="assistant-text">
      {blocks.map((block, i) => {
        switch (block.kind) {
          case "heading":
            return (
              <h4 key={i} style={{ margin: "8px 0" }}>
                <Inlines parts={block.text} />
              </h4>
            );
          case "list": {
            const items = block.items.map((item, j) => (
              <li key={j}>
                <Inlines parts={item} />
              </li>
            ));
            return block.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case "code":
            return <CodeBlock key={i} code={block.text} />;
          case "table":
            return (
              <div key={i} style={{ overflowX: "auto", marginBottom: 8 }}>
                <table className="md-table">
                  <thead>
                    <tr>
                      {block.header.map((cell, j) => (
                        <th key={j}>
                          <Inlines parts={cell} />
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {block.rows.map((row, r) => (
                      <tr key={r}>
                        {row.map((cell, j) => (
                          <td key={j}>
                            <Inlines parts={cell} />
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case "paragraph":
            return (
              <p key={i}>
                {block.lines.map((line, j) => (
                  <Fragment key={j}>
                    {j > 0 && <br />}
                    <Inlines parts={line} />
                  </Fragment>
                ))}
              </p>
            );
        }
      })}
    </div>
  );
}
