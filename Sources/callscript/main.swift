import CallScript
print("hi")
