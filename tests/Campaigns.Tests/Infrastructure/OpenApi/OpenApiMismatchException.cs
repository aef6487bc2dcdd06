namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// The API answered something its OpenAPI document does not describe. Thrown by the client, so the test
/// that made the request fails right there; not an HttpRequestException, so no retry policy swallows it.
/// </summary>
public sealed class OpenApiMismatchException(ContractVerdict verdict)
    : Exception($"The exchange does not match the OpenAPI document: {verdict}")
{
    public ContractVerdict Verdict => verdict;
}
