import { expect, type Locator, type Page } from "@playwright/test";

/**
 * Moves the focus to `target` with Tab (Shift+Tab when `back`), as a keyboard user would, and fails
 * when `target` is not reached within `maxPresses`. In the YAML editor Tab indents: Escape first,
 * as the hint beside the editor says.
 */
export async function tabTo(page: Page, target: Locator, { back = false, maxPresses = 80 } = {}): Promise<void> {
  for (let press = 0; press < maxPresses; press++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    if (await page.evaluate(() => Boolean(document.activeElement?.closest(".monaco-editor"))))
      await page.keyboard.press("Escape");
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target, `reached with ${maxPresses} presses of ${back ? "Shift+Tab" : "Tab"}`).toBeFocused();
}

/** Tabs to the field `target` and replaces its text by typing, as a keyboard user would. */
export async function tabAndType(page: Page, target: Locator, text: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(text);
}
