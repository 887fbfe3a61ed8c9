import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// Links leave the app in a new tab without handing it our window; images would load from anywhere,
// so they show as links instead.
const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  // Code blocks scroll sideways; focusable so the keyboard can scroll them.
  pre: ({ node: _node, ...props }) => <pre {...props} tabIndex={0} />,
  // A task list's box only shows its state (the card is not a form): a symbol with its state as its name.
  input: ({ type, checked }) =>
    type === 'checkbox' ? (
      <span className="markdown__task" role="img" aria-label={checked ? 'Done' : 'Not done'}>
        {checked ? '☑' : '☐'}
      </span>
    ) : null,
  img: ({ src, alt }) =>
    typeof src === 'string' ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || src}
      </a>
    ) : null,
};

/**
 * Renders a model card. Raw HTML in it is shown as text (react-markdown never injects it), and
 * unsafe link targets (`javascript:` and the like) are dropped by its default URL filter.
 * Loaded lazily: the Markdown parser is the heaviest part of the collection page.
 */
export default function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {source}
      </ReactMarkdown>
    </div>
  );
}
