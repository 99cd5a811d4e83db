namespace FuncGrad; /// <summary>x</summary>
public static class Placeholder { }
