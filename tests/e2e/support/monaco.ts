import { expect, type Page } from "@playwright/test";

/** The Monaco editor inside the element with data-testid="yaml-editor", once it has loaded. */
export async function monacoEditor(page: Page) {
  const editor = page.getByTestId("yaml-editor").locator(".monaco-editor");
  // Monaco is several megabytes: on a busy machine it takes a while the first time.
  await expect(editor).toBeVisible({ timeout: 60_000 });
  return editor;
}

/** Replaces the Monaco editor's whole text the way a user pasting a document would. */
export async function replaceEditorText(page: Page, text: string) {
  const editor = await monacoEditor(page);
  // Pasted, not typed: typing would let the editor auto-indent every new line.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("ControlOrMeta+V");
}
