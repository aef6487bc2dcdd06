using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Faults;

/// <summary>The places a drill can make the API die. See <see cref="FaultOptions"/>: test-only, off by default.</summary>
public sealed class FaultInjection(IOptions<FaultOptions> options, ILogger<FaultInjection> logger)
{
    /// <summary>Called after the send's transaction has committed and before any job is queued.</summary>
    public void AfterSendCommitted(long campaignId)
    {
        if (!options.Value.CrashAfterCommitBeforeEnqueue)
        {
            return;
        }
        Log.FaultInjectedCrash(logger, campaignId);
        // As abrupt as a power cut or an OOM kill: no shutdown, no finally blocks, no flush.
        Process.GetCurrentProcess().Kill();
    }
}
