import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface ComboboxOption {
  /** Unique among the options. */
  value: string;
  label: string;
  /** A second line (where it lives, what it holds), part of the option's accessible name. */
  detail?: string;
}

export interface ComboboxProps {
  label: string;
  /** The text in the box: a search while choosing, the typed aliases in a free-text box. */
  inputValue: string;
  onInputChange: (text: string) => void;
  options: readonly ComboboxOption[];
  onSelect: (option: ComboboxOption) => void;
  /** The chosen option's value, marked selected in the list. */
  selected?: string | null;
  loading?: boolean;
  disabled?: boolean;
  placeholder?: string;
  /** Said when the search finds nothing. */
  emptyText?: string;
  /**
   * A free-text box offering completions: the list opens on a click, Down or typed text (not on focus
   * alone, nor on emptying the box), and shows only when there is something to offer.
   */
  completions?: boolean;
  /** Called when the box loses focus (the list is closed by then). */
  onBlur?: () => void;
  describedBy?: string;
  invalid?: boolean;
  /** Under the box, above the list's position (help and checks). */
  children?: ReactNode;
}

/**
 * A text box with a list of options under it (the ARIA combobox pattern): typing filters the list
 * (the caller asks the server), Up/Down move through it, Enter picks, Escape closes it. Focus stays
 * in the box; the active option is announced through aria-activedescendant.
 */
export function Combobox(props: ComboboxProps) {
  const { label, inputValue, onInputChange, options, onSelect, selected, loading, disabled, placeholder } = props;
  const id = useId();
  const listId = `${id}-list`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const shown = open && !disabled && !(props.completions && options.length === 0);
  const activeIndex = active < options.length ? active : -1;

  // The option moved to with the keys stays in sight in a list taller than its box (one under the
  // pointer is in sight already: scrolling then would move it away from the pointer).
  const byKeys = useRef(false);
  useEffect(() => {
    if (shown && activeIndex >= 0 && byKeys.current)
      document.getElementById(`${id}-option-${activeIndex}`)?.scrollIntoView({ block: 'nearest' });
  }, [shown, activeIndex, id]);

  const pick = (option: ComboboxOption) => {
    onSelect(option);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const n = options.length;
      byKeys.current = true;
      setOpen(true);
      if (n > 0) setActive(activeIndex < 0 ? (step > 0 ? 0 : n - 1) : (activeIndex + step + n) % n);
    } else if (event.key === 'Enter' && shown && activeIndex >= 0) {
      // The list's choice, not the form's submit.
      event.preventDefault();
      pick(options[activeIndex] as ComboboxOption);
    } else if (event.key === 'Escape' && shown) {
      setOpen(false);
      setActive(-1);
    }
  };

  const status = loading ? 'Searching…' : options.length === 0 ? (props.emptyText ?? 'Nothing matches.') : null;

  return (
    <div className="field">
      <label className="field__label" htmlFor={`${id}-input`}>
        {label}
      </label>
      <div className="combobox">
        <input
          id={`${id}-input`}
          role="combobox"
          aria-expanded={shown}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && activeIndex >= 0 ? `${id}-option-${activeIndex}` : undefined}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid}
          autoComplete="off"
          spellCheck={false}
          value={inputValue}
          placeholder={placeholder}
          disabled={disabled}
          onChange={(event) => {
            onInputChange(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => !props.completions && setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            setActive(-1);
            props.onBlur?.();
          }}
          onKeyDown={onKeyDown}
        />
        <div className="combobox__popover" hidden={!shown}>
          {status && (
            <p className="combobox__status" aria-live="polite">
              {status}
            </p>
          )}
          <ul id={listId} role="listbox" aria-label={label} className="combobox__list" hidden={options.length === 0}>
            {options.map((option, index) => (
              <li
                key={option.value}
                id={`${id}-option-${index}`}
                role="option"
                aria-selected={option.value === selected}
                className={`combobox__option${index === activeIndex ? ' combobox__option--active' : ''}`}
                // A press here would blur the box (and close the list) before the click lands.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => pick(option)}
                onMouseMove={() => {
                  byKeys.current = false;
                  if (index !== activeIndex) setActive(index);
                }}
              >
                <span className="combobox__label">{option.label}</span>
                {option.detail && <span className="combobox__detail"> {option.detail}</span>}
              </li>
            ))}
          </ul>
        </div>
      </div>
      {props.children}
    </div>
  );
}

/**
 * A combobox that chooses one option: the box shows the choice, and typing searches again (the
 * choice stays until another is picked). `onSearch` gets the text to ask the server with.
 */
export function SearchSelect({
  chosenLabel,
  onSearch,
  ...props
}: Omit<ComboboxProps, 'inputValue' | 'onInputChange' | 'onBlur'> & { chosenLabel: string; onSearch: (text: string) => void }) {
  // null: not typing, the box shows the choice.
  const [typed, setTyped] = useState<string | null>(null);
  const search = (text: string | null) => {
    setTyped(text);
    onSearch(text ?? '');
  };
  // Reopened on its choice, the list keeps that choice in it (first), however long the list is.
  const { selected, options } = props;
  const listed =
    typed === null && selected && chosenLabel && !options.some((o) => o.value === selected)
      ? [{ value: selected, label: chosenLabel }, ...options]
      : options;
  return (
    <Combobox
      {...props}
      options={listed}
      inputValue={typed ?? chosenLabel}
      onInputChange={search}
      onSelect={(option) => {
        search(null);
        props.onSelect(option);
      }}
      onBlur={() => typed !== null && search(null)}
    />
  );
}
