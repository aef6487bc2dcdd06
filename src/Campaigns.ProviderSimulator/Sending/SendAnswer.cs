using System.Diagnostics;
using Campaigns.ProviderSimulator.Control;
using Campaigns.ProviderSimulator.Telemetry;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>A send's answer and the outcome it stands for (<c>accepted</c>, <c>permanent</c>, <c>unavailable</c>, …).</summary>
public sealed record SendAnswer(IResult Result, string Outcome, int Recipients = 1)
{
    public const string TimeoutOutcome = "timeout";

    /// <summary>The caller hung up while a <c>timeout</c> outcome held its request.</summary>
    public static SendAnswer Abandoned(int recipients = 1) => new(Results.Empty, TimeoutOutcome, recipients);

    /// <summary>A held request the caller waited out after all.</summary>
    public static SendAnswer TimedOut(int recipients = 1) => new(Results.StatusCode(StatusCodes.Status504GatewayTimeout), TimeoutOutcome, recipients);

    /// <summary>The answer to a provider's mode other than up, or null when it is up.</summary>
    public static SendAnswer? ForMode(ModeSetting mode, Func<IResult> unavailable, Func<TimeSpan, IResult> rateLimited) => mode.Mode switch
    {
        ProviderMode.Unavailable => new(unavailable(), "unavailable"),
        ProviderMode.RateLimited => new(rateLimited(TimeSpan.FromSeconds(mode.RetryAfterSeconds)), "rate_limited"),
        _ => null,
    };

    /// <summary>Tags the send's span and logs the answer.</summary>
    public IResult Finish(Activity? activity, ILogger logger, string provider)
    {
        var status = (Result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        activity.Answered(Outcome, status, Recipients);
        Log.SendAnswered(logger, provider, Recipients, Outcome, status);
        return Result;
    }
}
