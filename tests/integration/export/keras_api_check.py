"""Checks Netwright's Keras exports without TensorFlow: every call is from a known Keras API allowlist.

Usage: python3 keras_api_check.py FILE...  Prints one JSON object per file:
{"file", "problems": [...], "layers": [{"name", "class", "inputs": [tensors]}], "inputs": [...], "outputs": [...]},
each tensor "layer:port" (a recurrent layer with return_state=True returns a list, unpacked `out, h, c = ...`;
its initial state is the call's initial_state=[...] after the sequence, as Keras 2 and 3 take it).
The allowlist is the subset of tf.keras (2.x) / Keras 3 signatures the exporter may use.
"""

import ast
import json
import sys

CONV = {"filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias", "name"}
POOL = {"pool_size", "strides", "padding", "name"}
ALLOWED = {
    "Dense": {"units", "activation", "use_bias", "name"},
    "Activation": {"activation", "name"},
    "Dropout": {"rate", "name"},
    "Embedding": {"input_dim", "output_dim", "name"},
    "Conv1D": CONV,
    "Conv2D": CONV,
    "Conv2DTranspose": CONV,
    "DepthwiseConv2D": (CONV - {"filters"}) | {"depth_multiplier"},
    "SeparableConv2D": CONV | {"depth_multiplier"},
    "MaxPooling1D": POOL,
    "AveragePooling1D": POOL,
    "MaxPooling2D": POOL,
    "AveragePooling2D": POOL,
    "GlobalAveragePooling2D": {"name"},
    "GlobalMaxPooling2D": {"name"},
    "BatchNormalization": {"axis", "momentum", "epsilon", "center", "scale", "name"},
    "LayerNormalization": {"axis", "epsilon", "center", "scale", "name"},
    "SimpleRNN": {"units", "return_sequences", "return_state", "name"},
    "LSTM": {"units", "return_sequences", "return_state", "recurrent_activation", "name"},
    "GRU": {"units", "return_sequences", "return_state", "recurrent_activation", "reset_after", "name"},
    "Bidirectional": {"merge_mode", "name"},
    "Add": {"name"},
    "Multiply": {"name"},
    "Concatenate": {"axis", "name"},
    "Flatten": {"name"},
    "Reshape": {"target_shape", "name"},
    "ZeroPadding2D": {"padding", "name"},
    "UpSampling2D": {"size", "interpolation", "name"},
}
REQUIRED = {"Dense": {"units"}, "Conv1D": {"filters", "kernel_size"}, "Conv2D": {"filters", "kernel_size"},
            "Conv2DTranspose": {"filters", "kernel_size"}, "SeparableConv2D": {"filters", "kernel_size"},
            "DepthwiseConv2D": {"kernel_size"}, "Embedding": {"input_dim", "output_dim"}, "Reshape": {"target_shape"},
            "SimpleRNN": {"units"}, "LSTM": {"units"}, "GRU": {"units"}, "Dropout": {"rate"}, "Activation": {"activation"}}
ACTIVATIONS = {"linear", "relu", "relu6", "elu", "selu", "sigmoid", "hard_sigmoid", "tanh", "softmax", "softplus",
               "softsign", "swish", "mish", "gelu"}
ENUMS = {"padding": {"valid", "same", "causal"}, "interpolation": {"nearest", "bilinear"},
         "merge_mode": {"concat", "sum", "mul", "ave"}, "dtype": {"int32", "float32"}}
INT_OR_TUPLE = {"kernel_size", "strides", "dilation_rate", "pool_size", "size", "target_shape", "padding"}


def literal(node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return node


def is_ints(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, tuple) and all(is_ints(v) for v in value)


def check_keyword(cls, kw, problems, helpers):
    value = literal(kw.value)
    where = f"{cls}({kw.arg}=...)"
    if kw.arg in ("activation", "recurrent_activation"):
        if isinstance(value, ast.Name):
            if value.id not in helpers:
                problems.append(f"{where}: {value.id} is not defined in the module")
        elif value not in ACTIVATIONS:
            problems.append(f"{where}: unknown activation {value!r}")
    elif kw.arg in ENUMS and kw.arg != "padding" or (kw.arg == "padding" and cls != "ZeroPadding2D"):
        if value not in ENUMS[kw.arg]:
            problems.append(f"{where}: {value!r} is not one of {sorted(ENUMS[kw.arg])}")
    elif kw.arg in INT_OR_TUPLE:
        if not is_ints(value) and not (kw.arg == "strides" and value is None):
            problems.append(f"{where}: {value!r} is not an int or tuple of ints")
    elif kw.arg in ("units", "filters", "depth_multiplier", "input_dim", "output_dim", "axis"):
        if not is_ints(value) or isinstance(value, tuple):
            problems.append(f"{where}: {value!r} is not an int")
    elif kw.arg in ("use_bias", "return_sequences", "return_state", "center", "scale", "reset_after"):
        if not isinstance(value, bool):
            problems.append(f"{where}: {value!r} is not a bool")
    elif kw.arg in ("rate", "momentum", "epsilon"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{where}: {value!r} is not a number")
    elif kw.arg == "name" and not isinstance(value, str):
        problems.append(f"{where}: name is not a string")


def check_layer_call(call, problems, helpers):
    """A `layers.X(...)` call: class and keywords allowlisted; returns (class, name)."""
    cls = call.func.attr
    if cls not in ALLOWED:
        problems.append(f"layers.{cls} is not in the Keras allowlist")
        return cls, None
    keywords = {kw.arg for kw in call.keywords}
    for extra in sorted(keywords - ALLOWED[cls]):
        problems.append(f"layers.{cls} has no argument {extra!r}")
    for missing in sorted(REQUIRED.get(cls, set()) - keywords):
        problems.append(f"layers.{cls} needs {missing!r}")
    if cls == "Bidirectional":
        inner = call.args[0] if len(call.args) == 1 else None
        if not (isinstance(inner, ast.Call) and is_layers_call(inner) and inner.func.attr in ("LSTM", "GRU", "SimpleRNN")):
            problems.append("layers.Bidirectional needs one recurrent layer as its argument")
        else:
            check_layer_call(inner, problems, helpers)
    elif call.args:
        problems.append(f"layers.{cls} takes keywords only here")
    for kw in call.keywords:
        check_keyword(cls, kw, problems, helpers)
    name = next((literal(kw.value) for kw in call.keywords if kw.arg == "name"), None)
    return cls, name


def is_layers_call(node):
    return isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "layers"


def is_keras(node, attr):
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attr \
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "keras"


def names_of(node, variables, problems):
    """The tensors ("layer:port") a variable or a list of variables holds."""
    elements = node.elts if isinstance(node, ast.List) else [node]
    out = []
    for element in elements:
        if not isinstance(element, ast.Name) or element.id not in variables:
            problems.append(f"line {element.lineno}: uses {ast.dump(element)[:60]} before it is defined")
        else:
            out.append(variables[element.id])
    return out


def targets_of(statement):
    """The names a single assignment binds: one, or an unpacked tuple (a layer returning several tensors)."""
    if len(statement.targets) != 1:
        return None
    target = statement.targets[0]
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
        return [e.id for e in target.elts]
    return None


def call_inputs(call, cls, problems, variables):
    """A layer call's input tensors: one argument, and a recurrent layer's initial_state=[...] after it."""
    inputs = names_of(call.args[0], variables, problems)
    for kw in call.keywords:
        if kw.arg == "initial_state" and cls in ("LSTM", "GRU", "SimpleRNN") and isinstance(kw.value, ast.List):
            inputs += names_of(kw.value, variables, problems)
        else:
            problems.append(f"line {call.lineno}: layers.{cls}(...) is called with {kw.arg}=")
    return inputs


def check_file(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    problems, found, helpers = [], {"layers": [], "inputs": [], "outputs": []}, set()
    imports = [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if imports != ["from tensorflow import keras", "from tensorflow.keras import layers"]:
        problems.append(f"unexpected imports {imports}")
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    helpers = set(functions) - {"build_model"}
    if "build_model" not in functions:
        return {"file": path, "problems": problems + ["no build_model()"], **found}
    variables = {}
    for statement in functions["build_model"].body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if isinstance(statement, ast.Return):
            model = statement.value
            if not is_keras(model, "Model") or {kw.arg for kw in model.keywords} != {"inputs", "outputs", "name"}:
                problems.append("build_model must return keras.Model(inputs=..., outputs=..., name=...)")
                continue
            for kw in model.keywords:
                if kw.arg in ("inputs", "outputs"):
                    found[kw.arg] = names_of(kw.value, variables, problems)
            continue
        targets = targets_of(statement) if isinstance(statement, ast.Assign) else None
        if targets is None:
            problems.append(f"line {statement.lineno}: not a single assignment")
            continue
        value = statement.value
        for target in targets:
            if target in variables:
                problems.append(f"line {statement.lineno}: {target} is assigned twice")
        if is_keras(value, "Input") and len(targets) == 1:
            keywords = {kw.arg: literal(kw.value) for kw in value.keywords}
            if not set(keywords) <= {"shape", "dtype", "name"} or not is_ints(keywords.get("shape")):
                problems.append(f"line {statement.lineno}: keras.Input needs shape=(ints), optional dtype and name")
            variables[targets[0]] = f"{keywords.get('name')}:0"
            found["layers"].append({"name": keywords.get("name"), "class": "InputLayer", "inputs": []})
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Call) and is_layers_call(value.func) and len(value.args) == 1:
            cls, name = check_layer_call(value.func, problems, helpers)
            inputs = call_inputs(value, cls, problems, variables)
            returns_state = any(kw.arg == "return_state" and literal(kw.value) is True for kw in value.func.keywords)
            if returns_state != (len(targets) > 1):
                problems.append(f"line {statement.lineno}: {len(targets)} variables for layers.{cls}, return_state={returns_state}")
            for port, target in enumerate(targets):
                variables[target] = f"{name}:{port}"
            found["layers"].append({"name": name, "class": cls, "inputs": inputs})
        else:
            problems.append(f"line {statement.lineno}: not a keras.Input or layers.X(...)(inputs) call")
    names = [layer["name"] for layer in found["layers"]]
    if len(set(names)) != len(names):
        problems.append("layer names are not unique")
    return {"file": path, "problems": problems, **found}


if __name__ == "__main__":
    print(json.dumps([check_file(p) for p in sys.argv[1:]]))
