package ser.io.pickle;

/** A value an allowed global built, standing for a Python object; its Python type names it in messages. */
public interface PythonObject {

    /** The Python type this value stands for, such as {@code torch.Tensor}. */
    String pythonType();
}
