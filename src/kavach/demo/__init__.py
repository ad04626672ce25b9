"""The demo: benign synthetic pictures, lists made from them, an exhibit to scan.

Everything here is drawn by the code itself (coloured shapes); nothing is fetched.
Tests reuse it to build exhibits whose expected hits are known in advance.
"""
