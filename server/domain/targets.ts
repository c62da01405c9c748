// Governance targets the dashboards measure against (DESIGN.md): workstation coverage of communities and
// the standardisation of community health facilities.

/** Seed figure: 82 % of communities/villages have a governance workstation (综治工作站). */
export const WORKSTATION_BASELINE = 0.82;
/** Target share of standardised community health facilities (标准化建设达标). */
export const HEALTH_STANDARD_TARGET = 0.9;
/** Planning target for a service's coverage: the share of residents within the chosen walk (the siting curve, the /plan charts). */
export const COVERAGE_PLANNING_TARGET = 0.9;
