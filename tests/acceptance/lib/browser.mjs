// Headless Chromium from Debian's package (/usr/bin/chromium, or $CHROMIUM), driven by
// playwright-core. No browser is downloaded; each launch gets a throw-away profile.
import { mkdtempSync, rmSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { UsageError } from './cli.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-sync',
  '--disable-background-networking', '--disable-component-update', '--disable-default-apps',
  '--disable-extensions', '--mute-audio', '--hide-scrollbars', '--font-render-hinting=none',
];

/** Launches Chromium; resolves to { context, close }. Throws UsageError when it is not installed. */
export async function launchChromium({ viewport = { width: 1280, height: 900 } } = {}) {
  try { accessSync(CHROMIUM, constants.X_OK); } catch {
    throw new UsageError(`${CHROMIUM} not found (apt-get install chromium, or run tests/acceptance/setup.sh)`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'majors-acceptance-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: ARGS, viewport, timeout: 60000,
      locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light', reducedMotion: 'reduce',
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw new UsageError(`cannot start ${CHROMIUM}: ${String(e.message).split('\n')[0]}`);
  }
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
