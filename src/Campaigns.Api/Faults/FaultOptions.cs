namespace Campaigns.Api.Faults;

/// <summary>
/// Fault injection for recovery drills (<c>Faults:</c> configuration). TEST-ONLY: every switch is off
/// by default and nothing but a drill's own throwaway graph may turn one on.
/// </summary>
public sealed class FaultOptions
{
    public const string SectionName = "Faults";

    /// <summary>
    /// <c>POST /campaigns/{id}/send</c> (and resume, retry-failed) commits the messages, then kills its own
    /// process (SIGKILL) instead of queueing the jobs: the crash between commit and enqueue that the
    /// worker's retry driver must repair. Read once at startup.
    /// </summary>
    public bool CrashAfterCommitBeforeEnqueue { get; set; }
}
