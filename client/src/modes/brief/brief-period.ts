// The briefing's periods live with the domain (server/domain/brief-periods.ts): the server resolves
// ?period= the same way to name the briefing's first answers in the page's Link header.

export * from '../../../../server/domain/brief-periods';
