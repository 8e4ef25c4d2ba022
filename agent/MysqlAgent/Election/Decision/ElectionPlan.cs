namespace MysqlAgent.Election;

/// <summary>
/// What one turn does: its actions in order, one sentence saying what and why (logged when it
/// changes), and the memory as the decision leaves it, before any action's outcome.
/// </summary>
public sealed record ElectionPlan(
    IReadOnlyList<ElectionAction> Actions,
    string Sentence,
    ElectionMemory Memory
);
