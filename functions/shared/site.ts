import { loadSiteConfig, type SiteConfig } from '../config/site';

/** The newsroom's identity and sections, with the deployment's overrides, read once at cold start. */
export function siteFromEnv(): SiteConfig {
  return loadSiteConfig(process.env);
}
