namespace Campaigns.Api.OpenApi;

/// <summary>
/// Documents a text member or parameter as one of a fixed set of values: the static <c>All</c> list of
/// <paramref name="valuesType"/> (<see cref="Campaigns.Core.Domain.CampaignStatus"/>, …), the same list
/// the API validates against.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ValuesOfAttribute(Type valuesType) : Attribute
{
    /// <summary>The name of the set (<c>CampaignStatus</c>): the document's shared schema for it (<see cref="SharedEnums"/>).</summary>
    public string Name { get; } = valuesType.Name;

    public IReadOnlyList<string> Values { get; } =
        valuesType.GetField("All")?.GetValue(null) as IReadOnlyList<string>
        ?? throw new ArgumentException($"{valuesType.Name} has no static All list of values", nameof(valuesType));
}
