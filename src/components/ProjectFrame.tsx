import type { ReactNode } from 'react';
import { NavLink } from '@/lib/router';

const join = (...parts: string[]) => parts.map((part) => encodeURIComponent(part)).join('/');

/** A box with a fold: the artifact icon of the project sidebar. */
function ArtifactsIcon() {
  return (
    <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <path
        d="M12 2.5 20.5 7v10L12 21.5 3.5 17V7L12 2.5Zm0 2.3L6.2 7.9 12 11l5.8-3.1L12 4.8ZM5.5 9.6v6.2l5.5 3v-6.2l-5.5-3Zm7.5 9.2 5.5-3V9.6l-5.5 3v6.2Z"
        fill="currentColor"
      />
    </svg>
  );
}

/**
 * A team project's pages: its sidebar of sections (Artifacts; runs are reached from their artifacts)
 * beside the page. On a narrow screen the sidebar is a row above it.
 */
export function ProjectFrame({ entity, project, children }: { entity: string; project: string; children: ReactNode }) {
  return (
    <div className="project-frame">
      <nav aria-label="Project" className="project-nav">
        <NavLink to={`/${join(entity, project, 'artifacts')}`} className="project-nav__link">
          <ArtifactsIcon />
          <span className="project-nav__label">Artifacts</span>
        </NavLink>
      </nav>
      <div className="project-frame__main">{children}</div>
    </div>
  );
}
