/** Where the SPA finds web-bff and the identity service; served by the static server as /config.json. */
export interface SpaConfig {
  webBffUrl: string;
  identityUrl: string;
}

const DEFAULTS: SpaConfig = { webBffUrl: 'http://localhost:4000', identityUrl: 'http://localhost:5105' };

export async function loadConfig(): Promise<SpaConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (!res.ok) return DEFAULTS;
    const body = (await res.json()) as Partial<SpaConfig>;
    return { webBffUrl: body.webBffUrl || DEFAULTS.webBffUrl, identityUrl: body.identityUrl || DEFAULTS.identityUrl };
  } catch {
    return DEFAULTS;
  }
}
