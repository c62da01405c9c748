// Breadcrumbs from the province down to the focused unit; earlier crumbs go back up.

export interface Crumb {
  code: string;
  name: string;
}

export function Breadcrumbs({
  current,
  ancestors,
  onSelect,
  interactive,
}: {
  current: Crumb | null;
  ancestors: Crumb[];
  onSelect: (code: string) => void;
  interactive: boolean;
}) {
  if (!current) return null;
  return (
    <nav className="breadcrumbs" aria-label="breadcrumbs">
      <ol>
        {ancestors.map((crumb) => (
          <li key={crumb.code}>
            {interactive ? (
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
