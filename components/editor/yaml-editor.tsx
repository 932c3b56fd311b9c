"use client";

import Editor, { loader, type OnMount } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/languages/definitions/yaml/register";
import { useEffect, useRef } from "react";

export type EditorMarker = { line: number; message: string; severity: "error" | "warning" };

// Monaco from node_modules, never the CDN default of @monaco-editor/react (no internet in clusters).
loader.config({ monaco });
if (typeof self !== "undefined") {
  (self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
    getWorker: () => new Worker(new URL("monaco-editor/editor/editor.worker", import.meta.url), { type: "module" }),
  };
}

type Props = { value: string; onChange: (value: string) => void; markers: EditorMarker[]; height?: string };

/** The YAML editor of the create page. Validation comes from the server (CRD schema + catalog) as line markers. */
export default function YamlEditor({ value, onChange, markers, height = "32rem" }: Props) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor as unknown as monaco.editor.IStandaloneCodeEditor;
  };

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      "workspace",
      markers.map((m) => ({
        startLineNumber: m.line,
        endLineNumber: m.line,
        startColumn: 1,
        endColumn: model.getLineMaxColumn(Math.min(m.line, model.getLineCount())),
        message: m.message,
        severity: m.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      })),
    );
  }, [markers, value]);

  return (
    <div className="overflow-hidden rounded-md border border-zinc-300 dark:border-zinc-700" data-testid="yaml-editor">
      <Editor
        height={height}
        language="yaml"
        value={value}
        onChange={(v) => onChange(v ?? "")}
        onMount={onMount}
        theme={
          typeof window !== "undefined" && window.matchMedia?.("(prefers-color-scheme: dark)").matches
            ? "vs-dark"
            : "vs"
        }
        options={{
          minimap: { enabled: false },
          fontSize: 13,
          tabSize: 2,
          insertSpaces: true,
          scrollBeyondLastLine: false,
          automaticLayout: true,
          renderValidationDecorations: "on",
          glyphMargin: true,
        }}
      />
    </div>
  );
}
