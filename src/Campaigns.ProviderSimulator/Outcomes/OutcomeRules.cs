using System.Text.RegularExpressions;
using Campaigns.ProviderSimulator.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Outcomes;

/// <summary>
/// Decides each phone's fate: the first matching <c>Simulator:Rules</c> entry, else acceptance with a
/// receipt drawn at the configured rates.
/// </summary>
public sealed class OutcomeRules(IOptions<SimulatorOptions> options)
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly SimulatorOptions _options = options.Value;
    private readonly List<CompiledRule> _rules = [.. options.Value.Rules.Select(Compile)];

    /// <param name="readable">Whether the channel has read receipts (WhatsApp).</param>
    public Decision Decide(string provider, string phone, bool readable)
    {
        foreach (var rule in _rules)
        {
            if ((rule.Provider is null || rule.Provider == provider) && rule.Pattern.IsMatch(phone))
            {
                return rule.Decision;
            }
        }
        var draw = Random.Shared.NextDouble();
        if (draw < _options.DeliveredRate)
        {
            return Decision.Accepted(readable && Random.Shared.NextDouble() < _options.ReadRate ? ReceiptOutcome.Read : ReceiptOutcome.Delivered);
        }
        return Decision.Accepted(draw < _options.DeliveredRate + _options.UndeliveredRate ? ReceiptOutcome.Undelivered : ReceiptOutcome.None);
    }

    private static CompiledRule Compile(OutcomeRule rule)
    {
        // Validated at start (SimulatorOptions.Validate).
        ConfigNames.TryParse<SendOutcome>(rule.Outcome, out var outcome);
        var receipt = ConfigNames.TryParse<ReceiptOutcome>(rule.Receipt, out var parsed) ? parsed : ReceiptOutcome.Delivered;
        return new CompiledRule(
            new Regex(rule.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, RegexTimeout),
            string.IsNullOrEmpty(rule.Provider) ? null : rule.Provider,
            new Decision(outcome, receipt, string.IsNullOrEmpty(rule.ErrorCode) ? null : rule.ErrorCode, TimeSpan.FromSeconds(rule.RetryAfterSeconds)));
    }

    private sealed record CompiledRule(Regex Pattern, string? Provider, Decision Decision);
}
