import { Component, type ReactNode } from 'react';
import { ErrorState } from './States';

/** Shown when a screen fails to load or render (for example after a deploy removed an old chunk). */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="page">
        <ErrorState title="This page could not be shown" message={this.state.error.message} onRetry={() => window.location.reload()} />
      </main>
    );
  }
}
