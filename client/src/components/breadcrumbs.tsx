// Breadcrumbs from the province down to the focused unit; earlier crumbs inside the caller's scope go
// back up, those above it are named for orientation only (the views never go above the jurisdiction).

export interface Crumb {
  code: string;
  name: string;
}

export function Breadcrumbs({
  current,
  ancestors,
  scope,
  onSelect,
  interactive,
}: {
  current: Crumb | null;
  ancestors: Crumb[];
  /** The highest region the caller may focus: ancestors above it are not offered. */
  scope: string;
  onSelect: (code: string) => void;
  interactive: boolean;
}) {
  if (!current) return null;
  return (
    <nav className="breadcrumbs" aria-label="breadcrumbs">
      <ol>
        {ancestors.map((crumb) => (
          <li key={crumb.code} className={crumb.code.startsWith(scope) ? undefined : 'crumb-above-scope'}>
            {interactive && crumb.code.startsWith(scope) ? (
              <button type="button" onClick={() => onSelect(crumb.code)}>
                {crumb.name}
              </button>
            ) : (
              <span>{crumb.name}</span>
            )}
          </li>
        ))}
        <li aria-current="page">
          <strong>{current.name}</strong>
        </li>
      </ol>
    </nav>
  );
}
