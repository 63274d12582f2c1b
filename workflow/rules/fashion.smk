# FashionMNIST (Section III.B): data -> grid cells -> tables -> figures.
FASHION = config["fashion"]
FASHION_DATA = "results/fashion/data/fashion_mnist.npz"


rule fashion_data:
    output:
        FASHION_DATA,
    params:
        root="resources",
        debian_dir=FASHION["debian_dir"],
    log:
        "results/fashion/logs/data.log",
    script:
        "../scripts/fashion_data.py"


def all_fashion_outputs():
    return []
