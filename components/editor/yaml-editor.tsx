"use client";

import Editor, { loader, type OnMount } from "@monaco-editor/react";
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/languages/definitions/yaml/register";
import { useEffect, useRef, useState } from "react";

import { useColorScheme } from "@/components/shell/use-color-scheme";

export type EditorMarker = { line: number; message: string; severity: "error" | "warning" };

// Monaco from node_modules, never the CDN default of @monaco-editor/react (no internet in clusters).
loader.config({ monaco });
if (typeof self !== "undefined") {
  (self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
    getWorker: () => new Worker(new URL("monaco-editor/editor/editor.worker", import.meta.url), { type: "module" }),
  };
}

type Props = {
  value: string;
  onChange: (value: string) => void;
  markers: EditorMarker[];
  height?: string;
  /** What the editor holds, for screen readers ("Workspace YAML"). */
  label?: string;
};

// Keys that may sit between Escape and Tab without cancelling the way out (Shift for Shift+Tab).
const MODIFIERS = new Set([monaco.KeyCode.Shift, monaco.KeyCode.Ctrl, monaco.KeyCode.Alt, monaco.KeyCode.Meta]);

/**
 * A YAML editor whose validation comes from the caller as line markers. Tab indents, as in any
 * code editor, so it must not trap keyboard users (WCAG 2.1.2): Escape, then Tab moves the focus
 * on, as in GitHub's and VS Code's web editors, through Monaco's tab-focus mode; Ctrl+M keeps
 * that mode on. The hint under the editor says so and shows when the mode is on.
 */
export default function YamlEditor({ value, onChange, markers, height = "32rem", label = "YAML document" }: Props) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [focused, setFocused] = useState(false);
  const [tabMovesFocus, setTabMovesFocus] = useState(false);
  // Follows the shell's theme switch as well as the OS setting.
  const colorScheme = useColorScheme();

  const onMount: OnMount = (mounted) => {
    const editor = mounted as unknown as monaco.editor.IStandaloneCodeEditor;
    editorRef.current = editor;
    const setMode = (on: boolean) => {
      editor.updateOptions({ tabFocusMode: on });
      setTabMovesFocus(on);
    };
    editor.onKeyDown((event) => {
      if (event.keyCode === monaco.KeyCode.Escape) setMode(true);
      else if (event.keyCode !== monaco.KeyCode.Tab && !MODIFIERS.has(event.keyCode)) setMode(false);
    });
    editor.onDidFocusEditorText(() => setFocused(true));
    editor.onDidBlurEditorText(() => {
      setFocused(false);
      setMode(false);
    });
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
    <div className="flex flex-col gap-1">
      <div
        className="overflow-hidden rounded-md border border-zinc-300 focus-within:outline-2 focus-within:outline-blue-600 dark:border-zinc-700"
        data-testid="yaml-editor"
      >
        <Editor
          height={height}
          language="yaml"
          value={value}
          onChange={(v) => onChange(v ?? "")}
          onMount={onMount}
          theme={colorScheme === "dark" ? "vs-dark" : "vs"}
          options={{
            ariaLabel: `${label}. Tab indents; press Escape, then Tab, to leave the editor.`,
            minimap: { enabled: false },
            fontSize: 13,
            tabSize: 2,
            insertSpaces: true,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            renderValidationDecorations: "on",
            glyphMargin: true,
            // Linux's default "dimmed" draws the last line number at 1.75:1 contrast.
            renderFinalNewline: "on",
          }}
        />
      </div>
      <p
        data-testid="yaml-editor-hint"
        className={`text-xs ${focused ? "text-zinc-800 dark:text-zinc-200" : "text-zinc-600 dark:text-zinc-400"}`}
      >
        {tabMovesFocus ? (
          <>
            <strong>Tab now moves the focus</strong> out of the editor (Shift+Tab: back).
          </>
        ) : (
          <>
            Tab indents. To leave the editor with the keyboard: <kbd>Esc</kbd>, then <kbd>Tab</kbd>.
          </>
        )}
      </p>
    </div>
  );
}
