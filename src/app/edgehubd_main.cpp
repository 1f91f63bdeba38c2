int main_placeholder_edgehubd_main();
int main() { return 0; }
