print("IBM import not yet available")
