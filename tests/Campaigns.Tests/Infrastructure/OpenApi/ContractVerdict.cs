namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>What the contract found of one exchange.</summary>
/// <param name="Operation">The document's operation (<c>GET /customers/{id}</c>), or null when it does not describe the request.</param>
/// <param name="Request">The request as sent (<c>GET /customers/123</c>).</param>
public sealed record ContractVerdict(string? Operation, string Request, int Status, IReadOnlyList<string> Mismatches)
{
    public static ContractVerdict Skipped(string request, int status) => new(null, request, status, []);

    public bool IsSkipped => Operation is null;

    public bool Conforms => Mismatches.Count == 0;

    public override string ToString() =>
        $"{Request} → {Status}" + (IsSkipped ? " (not in the document)" : $" ({Operation})") +
        string.Concat(Mismatches.Select(mismatch => Environment.NewLine + "  " + mismatch));
}
