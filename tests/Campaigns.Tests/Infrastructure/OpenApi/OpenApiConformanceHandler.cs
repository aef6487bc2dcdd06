namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// Checks every exchange of a client against the live OpenAPI document, records it in the run's report,
/// and throws <see cref="OpenApiMismatchException"/> on a mismatch so the test that made the request fails.
/// The response body is buffered first, so the test still reads it.
/// </summary>
public sealed class OpenApiConformanceHandler : DelegatingHandler
{
    private readonly Func<OpenApiContract?> _contract;
    private readonly ConformanceReport _report;
    private readonly bool _throwOnMismatch;

    public OpenApiConformanceHandler()
        : this(() => OpenApiConformance.Contract, OpenApiConformance.Report, OpenApiConformance.FailEachRequest)
    {
    }

    /// <summary>For a client built by hand: <c>new HttpClient(new OpenApiConformanceHandler(new SocketsHttpHandler()))</c>.</summary>
    public OpenApiConformanceHandler(HttpMessageHandler innerHandler)
        : this() => InnerHandler = innerHandler;

    public OpenApiConformanceHandler(Func<OpenApiContract?> contract, ConformanceReport report, bool throwOnMismatch = true)
    {
        _contract = contract;
        _report = report;
        _throwOnMismatch = throwOnMismatch;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Held now: a RedirectHandler further in replaces a POST's content with a stream it has read.
        var content = request.Content;
        var response = await base.SendAsync(request, cancellationToken);
        if (_contract() is not { } contract)
        {
            _report.RecordSkipped();
            return response;
        }
        ContractVerdict verdict;
        try
        {
            verdict = await contract.CheckAsync(request, content, response, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }
        _report.Record(verdict);
        if (!verdict.Conforms && _throwOnMismatch)
        {
            response.Dispose();
            throw new OpenApiMismatchException(verdict);
        }
        return response;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The API's clients are asynchronous; a synchronous send would go unvalidated.");
}
