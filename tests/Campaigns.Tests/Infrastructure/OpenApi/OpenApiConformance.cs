namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// The run's contract and report, shared by every client's <see cref="OpenApiConformanceHandler"/>. The
/// contract is the live document, fetched from the shared graph's API when the fixture starts; until then
/// (the fetch itself, the graph's health probes) exchanges are skipped.
/// </summary>
public static class OpenApiConformance
{
    private static OpenApiContract? _contract;

    public static OpenApiContract? Contract => Volatile.Read(ref _contract);

    public static ConformanceReport Report { get; } = new();

    /// <summary>
    /// Whether a mismatch fails the request that met it (the default). <c>CAMPAIGNS_OPENAPI_MISMATCH=report</c>
    /// only records it, to list every mismatch of a run at once; the run still fails at its end.
    /// </summary>
    public static bool FailEachRequest { get; } = Environment.GetEnvironmentVariable("CAMPAIGNS_OPENAPI_MISMATCH") != "report";

    public static void Use(OpenApiContract contract) => Volatile.Write(ref _contract, contract);

    /// <summary>Loads the document the API serves; never a checked-in copy, so the two cannot drift apart.</summary>
    public static async Task LoadAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var document = await api.GetStringAsync("/openapi/v1.json", cancellationToken);
        Use(OpenApiContract.Parse(document));
    }

    public static string Summary() => Report.Summary(Contract?.Operations ?? []);

    /// <summary>Fails the run if any exchange mismatched, even one whose test caught the exception.</summary>
    public static void ThrowIfAnyMismatched()
    {
        if (Report.MismatchCount > 0)
        {
            throw new InvalidOperationException($"Responses or accepted requests did not match the OpenAPI document.{Environment.NewLine}{Summary()}");
        }
    }
}
