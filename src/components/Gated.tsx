import * as Tooltip from '@radix-ui/react-tooltip';
import { useId, type ReactElement } from 'react';

interface Props {
  /** Whether the viewer may do this. */
  allowed: boolean;
  /** Why not, e.g. "Needs the admin role in this registry". */
  reason: string;
  /** Renders the control, disabled or not, described by the reason when disabled. */
  children: (props: { disabled: boolean; 'aria-describedby'?: string }) => ReactElement;
}

/**
 * An action the viewer's role may not allow: shown disabled, with a tooltip (on hover and keyboard
 * focus) and an accessible description saying which role it needs.
 */
export function Gated({ allowed, reason, children }: Props) {
  const id = useId();
  if (allowed) return children({ disabled: false });
  return (
    <Tooltip.Provider delayDuration={150}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>
          {/* A disabled button gets no pointer or focus events, so the wrapper carries the tooltip. */}
          <span className="gated" tabIndex={0}>
            {children({ disabled: true, 'aria-describedby': id })}
            <span id={id} className="visually-hidden">
              {reason}
            </span>
          </span>
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content className="tooltip" sideOffset={6}>
            {reason}
            <Tooltip.Arrow className="tooltip__arrow" />
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </Tooltip.Provider>
  );
}
