/** A refusal or error shown where the action was taken: the message, and each rule with its reason, verbatim. */
import type { Problem } from "./refusal";

export function ProblemNote({ problem, testId = "action-problem" }: { problem: Problem | null; testId?: string }) {
  if (!problem) return null;
  const only = problem.issues.length === 1 ? problem.issues[0] : undefined;
  // One rule whose reason the message already says: the rule as a tag before it, not the reason twice.
  const inline = only !== undefined && problem.message.includes(only.message);
  return (
    <div className={`gov-problem code-${problem.code}`} role="alert" data-testid={testId} data-code={problem.code}>
      <div className="gov-problem-message">
        {inline ? <span className="gov-rule" data-rule={only.rule}>{only.rule}</span> : null}
        {problem.message}
      </div>
      {!inline && problem.issues.length > 0 ? (
        <ul>
          {problem.issues.map((i, k) => (
            <li key={k} data-rule={i.rule}>
              <span className="gov-rule">{i.rule}</span> {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
