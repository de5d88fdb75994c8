namespace WebNN.Graph;

/// <summary>
/// An activation folded into the operator before it by the optimizer: the activation operator's spec
/// name ("relu", "clamp", "sigmoid", ...) and its resolved attributes (as on the operator it replaced).
/// </summary>
internal sealed record FusedActivation(string Operator, object? Attributes);
